/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Conditions on companies: registry facts and derived facts across the sources. */
export type CompanyFilter = {
  /** Whether the company has a guidance programme running now. */
  activeProgramme?: boolean | null | undefined;
  /** Labour-market area code, e.g. "RAR-VEST". */
  area?: string | null | undefined;
  /** The systems `noContactMonths` and `contactedWithinMonths` look at. */
  contactSystems?: Array<ContactSystem> | null | undefined;
  /** A contact from `contactSystems` (all systems when omitted) within this many months (1 to 120). */
  contactedWithinMonths?: number | null | undefined;
  /** An enrolment on a course started within this many months (1 to 120). */
  courseActivityMonths?: number | null | undefined;
  /** Industry code prefix, 1-6 digits, e.g. "25" or "251100". */
  industry?: string | null | undefined;
  /** At least this many hard-to-fill vacancies. */
  minHardToFillVacancies?: number | null | undefined;
  /** At least this many open vacancies. */
  minOpenVacancies?: number | null | undefined;
  /** Municipality code (kommunekode), 3 digits, e.g. "657" for Herning. */
  municipality?: string | null | undefined;
  /** Text contained in the company name, case-insensitive, at least 2 characters. */
  name?: string | null | undefined;
  /** No contact from `contactSystems` (all systems when omitted) within this many months (1 to 120). */
  noContactMonths?: number | null | undefined;
  /** No enrolment on a course started within this many months (1 to 120). */
  noCourseActivityMonths?: number | null | undefined;
  /** The company has all of these signals. */
  signals?: Array<SignalKind> | null | undefined;
  /** Company status. */
  status?: CompanyStatus | null | undefined;
};

/** Sort orders for company lists. */
export type CompanyOrder =
  /** By change sequence number, oldest change first: what a sync job reads to catch up. */
  | 'CHANGE_SEQUENCE_ASC'
  /** By CVR number. */
  | 'CVR_ASC'
  /** Most hard-to-fill vacancies first, then by CVR number. */
  | 'HARD_TO_FILL_DESC'
  /** Longest without contact first (never contacted first), then by CVR number. */
  | 'LAST_CONTACT_ASC'
  /** Most recently contacted first (never contacted last), then by CVR number. */
  | 'LAST_CONTACT_DESC'
  /** By name, then CVR number. */
  | 'NAME_ASC'
  /** Most open vacancies first, then by CVR number. */
  | 'OPEN_VACANCIES_DESC';

/** A company's status, grouped from CVR's composite status (sammensat status). */
export type CompanyStatus =
  /** Active (Aktiv, Normal). */
  | 'ACTIVE'
  /** Ceased or dissolved (Ophørt, Opløst …, Tvangsopløst, Slettet). */
  | 'CEASED'
  /** Any other status text. */
  | 'OTHER'
  /** In bankruptcy proceedings (Under konkurs). */
  | 'UNDER_BANKRUPTCY'
  /** Being dissolved (Under frivillig likvidation, Under tvangsopløsning). */
  | 'UNDER_DISSOLUTION'
  /** In reconstruction (Under rekonstruktion, Under reassumering). */
  | 'UNDER_RECONSTRUCTION';

/** The public system a contact was made from. */
export type ContactSystem =
  /** A regional business house (Erhvervshus / Væksthus). */
  | 'ERHVERVSHUS'
  /** A jobcentre (jobcenter), e.g. Jobcenter Herning. */
  | 'JOBCENTRE'
  /** An adult-education provider (VEU-udbyder): AMU centre, vocational college, VUC or business academy. */
  | 'VEU';

/** Employee size bands as CVR publishes them (intervalKodeAntalAnsatte). */
export type EmployeeBand =
  /** 2-4 employees. */
  | 'FROM_2_TO_4'
  /** 5-9 employees. */
  | 'FROM_5_TO_9'
  /** 10-19 employees. */
  | 'FROM_10_TO_19'
  /** 20-49 employees. */
  | 'FROM_20_TO_49'
  /** 50-99 employees. */
  | 'FROM_50_TO_99'
  /** 100-199 employees. */
  | 'FROM_100_TO_199'
  /** 200-499 employees. */
  | 'FROM_200_TO_499'
  /** 500-999 employees. */
  | 'FROM_500_TO_999'
  /** 1000 or more employees. */
  | 'FROM_1000'
  /** No employees. */
  | 'NONE'
  /** One employee. */
  | 'ONE';

/** Kinds of signal (signal) the situation can raise; thresholds live in connectors/insights/thresholds.json. */
export type SignalKind =
  /** An active growth programme without an agreed competence plan, and no course enrolments for months (vækst uden kompetenceplan). */
  | 'GROWTH_WITHOUT_COMPETENCE_PLAN'
  /** An open vacancy in an occupation with a shortage of labour in the company's area (svært besættelig stilling). */
  | 'HARD_TO_FILL_VACANCY'
  /** A recent layoff notice (varsel om afskedigelser); evidence names matching courses and nearby companies recruiting. */
  | 'LAYOFF_NOTICE'
  /** Hard-to-fill vacancies and no contact from any system for months (ingen offentlig kontakt). */
  | 'NO_PUBLIC_CONTACT'
  /** Contacts from two or more systems close together with no referral between them (ukoordineret kontakt). */
  | 'UNCOORDINATED_CONTACT';

export type CompanyProfileQueryVariables = Exact<{
  cvr: string;
}>;


export type CompanyProfileQuery = { company: { cvr: string, name: string | null, status: CompanyStatus | null, founded: string | null, legalForm: { short: string | null, long: string | null } | null, address: { street: string | null, postcode: string | null, city: string | null } | null, municipality: { code: string, name: string, region: string } | null, industry: { code: string, title: string | null } | null, employees: { band: EmployeeBand | null, bandLabel: string | null, count: number | null, year: number | null, quarter: number | null } | null, source: { name: string, syncedAt: string | null } | null } | null };

export type CompaniesPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: CompanyFilter | null | undefined;
  orderBy?: CompanyOrder | null | undefined;
}>;


export type CompaniesPageQuery = { companies: { totalCount: number, edges: Array<{ cursor: string, node: { cvr: string, name: string | null, industry: { code: string, title: string | null } | null, employees: { band: EmployeeBand | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type CompanyChangesQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type CompanyChangesQuery = { companies: { edges: Array<{ cursor: string, node: { cvr: string, name: string | null, status: CompanyStatus | null, changeSequence: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };


export const CompanyProfileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompanyProfile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cvr"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CVR"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"company"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cvr"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cvr"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cvr"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"legalForm"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"short"}},{"kind":"Field","name":{"kind":"Name","value":"long"}}]}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"founded"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"street"}},{"kind":"Field","name":{"kind":"Name","value":"postcode"}},{"kind":"Field","name":{"kind":"Name","value":"city"}}]}},{"kind":"Field","name":{"kind":"Name","value":"municipality"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"region"}}]}},{"kind":"Field","name":{"kind":"Name","value":"industry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"employees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"band"}},{"kind":"Field","name":{"kind":"Name","value":"bandLabel"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"quarter"}}]}},{"kind":"Field","name":{"kind":"Name","value":"source"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"syncedAt"}}]}}]}}]}}]} as unknown as DocumentNode<CompanyProfileQuery, CompanyProfileQueryVariables>;
export const CompaniesPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompaniesPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CompanyFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CompanyOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cvr"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"industry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"employees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"band"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CompaniesPageQuery, CompaniesPageQueryVariables>;
export const CompanyChangesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompanyChanges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"companies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"EnumValue","value":"CHANGE_SEQUENCE_ASC"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cvr"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"changeSequence"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CompanyChangesQuery, CompanyChangesQueryVariables>;