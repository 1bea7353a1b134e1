'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc/react';
import { formErrors, zodFieldErrors, type FieldErrors } from '@/components/forms';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { createPropertyInput, US_STATE_CODES } from '@/server/api/schemas/property';

const STATES = [...US_STATE_CODES].sort();

export function CreatePropertyForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const create = useMutation(
    trpc.property.create.mutationOptions({
      onSuccess: async (property) => {
        await queryClient.invalidateQueries(trpc.property.pathFilter());
        router.push(`/landlord/properties/${property.id}`);
      },
    }),
  );
  const { errors, topMessage } = formErrors(create.error, clientErrors);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '');
    const parsed = createPropertyInput.safeParse({
      name: field('name'),
      line1: field('line1'),
      line2: field('line2'),
      city: field('city'),
      state: field('state'),
      postalCode: field('postalCode'),
    });
    if (!parsed.success) {
      setClientErrors(zodFieldErrors(parsed.error.issues));
      return;
    }
    setClientErrors({});
    create.reset();
    create.mutate(parsed.data);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {topMessage && <Alert tone="error">{topMessage}</Alert>}
      <Input label="Name" name="name" maxLength={100} placeholder="e.g. Maple Court, unit 3" error={errors.name} hint="How you and your renters recognize it." />
      <Input label="Street address" name="line1" autoComplete="address-line1" maxLength={100} error={errors.line1} />
      <Input label="Apartment, suite, etc. (optional)" name="line2" autoComplete="address-line2" maxLength={100} error={errors.line2} />
      <div className="grid gap-4 sm:grid-cols-[2fr_1fr_1fr]">
        <Input label="City" name="city" autoComplete="address-level2" maxLength={60} error={errors.city} />
        <Select label="State" name="state" autoComplete="address-level1" defaultValue="" error={errors.state}>
          <option value="">—</option>
          {STATES.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </Select>
        <Input label="ZIP code" name="postalCode" autoComplete="postal-code" inputMode="numeric" maxLength={10} error={errors.postalCode} />
      </div>
      <Button type="submit" pending={create.isPending}>
        Add property
      </Button>
    </form>
  );
}
