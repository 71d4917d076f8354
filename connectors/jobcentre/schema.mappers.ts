import type {
  BalanceRecord,
  JobOrderRecord,
  LayoffRecord,
  OccupationLabelRecord,
  Page,
  RecruitmentKey,
  SupplyRecord,
  VacancyRecord,
  WorkplaceRecord,
} from './domain.js';

// What this connector's resolvers receive as the parent of each type (graphql-codegen mappers):
// codegen.ts finds every `<Type>Mapper` exported here, as the codegen server preset does.
export type RecruitmentMapper = RecruitmentKey;
export type VacancyMapper = VacancyRecord;
export type VacancyConnectionMapper = Page<VacancyRecord>;
export type WorkplaceMapper = WorkplaceRecord;
export type OccupationLabelCountMapper = OccupationLabelRecord;
export type OccupationLabelConnectionMapper = Page<OccupationLabelRecord>;
export type JobOrderMapper = JobOrderRecord;
export type JobOrderConnectionMapper = Page<JobOrderRecord>;
export type OccupationBalanceMapper = BalanceRecord;
export type BalanceConnectionMapper = Page<BalanceRecord>;
export type UnemployedSupplyMapper = SupplyRecord;
export type LayoffNoticeMapper = LayoffRecord;
