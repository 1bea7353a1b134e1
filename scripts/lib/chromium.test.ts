import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEBIAN_CHROMIUM, ensureChromium, INSTALL_COMMAND, planChromium } from './chromium';

const only = (...present: string[]) => (file: string) => present.includes(file);

describe('getting the browser for the Playwright journeys', () => {
  it('uses the browser that is there', () => {
    expect(planChromium({ path: DEBIAN_CHROMIUM, exists: only(DEBIAN_CHROMIUM), isRoot: false })).toEqual({ action: 'use' });
    expect(planChromium({ path: '/opt/chrome', exists: only('/opt/chrome'), isRoot: true })).toEqual({ action: 'use' });
  });

  it("installs Debian's Chromium when it is missing and we are root on a machine with apt-get", () => {
    expect(planChromium({ path: DEBIAN_CHROMIUM, exists: only('/usr/bin/apt-get'), isRoot: true })).toEqual({ action: 'install' });
  });

  it('otherwise fails, printing the one command that fixes it', () => {
    const notRoot = planChromium({ path: DEBIAN_CHROMIUM, exists: only('/usr/bin/apt-get'), isRoot: false });
    expect(notRoot).toEqual({ action: 'fail', message: expect.stringContaining(`sudo ${INSTALL_COMMAND}`) });
    expect(planChromium({ path: DEBIAN_CHROMIUM, exists: only(), isRoot: true })).toMatchObject({ action: 'fail', message: expect.stringContaining('CHROMIUM_PATH') });
    // Installing Debian's package would not put a browser at a path of the user's choosing.
    expect(planChromium({ path: '/opt/chrome', exists: only('/usr/bin/apt-get'), isRoot: true })).toMatchObject({
      action: 'fail',
      message: expect.stringContaining('CHROMIUM_PATH=/opt/chrome'),
    });
  });

  it('runs the installer only when the plan says so, and checks that it produced the browser', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-test-'));
    const browser = path.join(dir, 'chromium');
    const exists = (file: string) => file === '/usr/bin/apt-get' || fs.existsSync(file);
    let installs = 0;
    // An "installer" that puts a file where the browser belongs, as apt-get does.
    const install = () => {
      installs += 1;
      fs.writeFileSync(browser, '');
      return true;
    };
    try {
      // A browser path other than Debian's is never installed over.
      expect(ensureChromium({ path: browser, exists, isRoot: true, install })).toMatch(/CHROMIUM_PATH/);
      expect(installs).toBe(0);
      fs.writeFileSync(browser, '');
      expect(ensureChromium({ path: browser, exists, isRoot: true, install })).toBeNull();
      expect(installs).toBe(0);
      // An installer that reports success without a browser is a failure.
      expect(ensureChromium({ path: DEBIAN_CHROMIUM, exists: only('/usr/bin/apt-get'), isRoot: true, install: () => true })).toMatch(/installing Chromium failed/);
      expect(ensureChromium({ path: DEBIAN_CHROMIUM, exists: only('/usr/bin/apt-get'), isRoot: true, install: () => false })).toMatch(/installing Chromium failed/);
      expect(ensureChromium({ path: DEBIAN_CHROMIUM, exists: only('/usr/bin/apt-get'), isRoot: false, install })).toMatch(/sudo apt-get/);
      expect(installs).toBe(0);
      // Missing, root, Debian: installed once, then ready.
      const present = new Set(['/usr/bin/apt-get']);
      const installDebian = () => {
        installs += 1;
        present.add(DEBIAN_CHROMIUM);
        return true;
      };
      expect(ensureChromium({ path: DEBIAN_CHROMIUM, exists: (file) => present.has(file), isRoot: true, install: installDebian })).toBeNull();
      expect(ensureChromium({ path: DEBIAN_CHROMIUM, exists: (file) => present.has(file), isRoot: true, install: installDebian })).toBeNull();
      expect(installs).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
