-- AlterEnum
ALTER TYPE "LeaseStatus" ADD VALUE 'DECLINED';
