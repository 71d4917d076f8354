import type { CountedConnection } from '../../src/graphql/pagination.js';
import type { CompanyKey } from '../../src/graphql/keys.js';
import type {
  CompanyPage,
  ContactEntryRecord,
  FollowUpRecord,
  NeedRecord,
  OverlapRecord,
  ProfileRecord,
  SignalRecord,
  SuggestionRecord,
} from './domain.js';

// What this connector's resolvers receive as the parent of each type (graphql-codegen mappers):
// codegen.ts finds every `<Type>Mapper` exported here, as the codegen server preset does.
export type CompanyConnectionMapper = CompanyPage;
export type ContactEntryMapper = ContactEntryRecord;
export type ContactEntryConnectionMapper = CountedConnection<ContactEntryRecord>;
export type CoordinationMapper = CompanyKey;
export type FollowUpMapper = FollowUpRecord;
export type SituationMapper = CompanyKey;
export type RecruitmentFactsMapper = ProfileRecord;
export type UpskillingFactsMapper = ProfileRecord;
export type GrowthFactsMapper = ProfileRecord;
export type SignalMapper = SignalRecord;
export type CompetenceMatchMapper = CompanyKey;
export type CompetenceNeedMapper = NeedRecord;
export type CourseSuggestionMapper = SuggestionRecord;
export type ContactOverlapMapper = OverlapRecord;
export type ContactOverlapConnectionMapper = CountedConnection<OverlapRecord>;
