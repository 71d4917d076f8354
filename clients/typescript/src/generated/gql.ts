/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CompanyProfile($cvr: CVR!) {\n  company(cvr: $cvr) {\n    cvr\n    name\n    legalForm {\n      short\n      long\n    }\n    status\n    founded\n    address {\n      street\n      postcode\n      city\n    }\n    municipality {\n      code\n      name\n      region\n    }\n    industry {\n      code\n      title\n    }\n    employees {\n      band\n      bandLabel\n      count\n      year\n      quarter\n    }\n    source {\n      name\n      syncedAt\n    }\n  }\n}\n\nquery CompaniesPage($first: Int!, $after: String, $filter: CompanyFilter, $orderBy: CompanyOrder) {\n  companies(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        industry {\n          code\n          title\n        }\n        employees {\n          band\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CompanyChanges($first: Int!, $after: String) {\n  companies(first: $first, after: $after, orderBy: CHANGE_SEQUENCE_ASC) {\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        status\n        changeSequence\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CompanyProfileDocument,
};
const documents: Documents = {
    "query CompanyProfile($cvr: CVR!) {\n  company(cvr: $cvr) {\n    cvr\n    name\n    legalForm {\n      short\n      long\n    }\n    status\n    founded\n    address {\n      street\n      postcode\n      city\n    }\n    municipality {\n      code\n      name\n      region\n    }\n    industry {\n      code\n      title\n    }\n    employees {\n      band\n      bandLabel\n      count\n      year\n      quarter\n    }\n    source {\n      name\n      syncedAt\n    }\n  }\n}\n\nquery CompaniesPage($first: Int!, $after: String, $filter: CompanyFilter, $orderBy: CompanyOrder) {\n  companies(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        industry {\n          code\n          title\n        }\n        employees {\n          band\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CompanyChanges($first: Int!, $after: String) {\n  companies(first: $first, after: $after, orderBy: CHANGE_SEQUENCE_ASC) {\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        status\n        changeSequence\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CompanyProfileDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CompanyProfile($cvr: CVR!) {\n  company(cvr: $cvr) {\n    cvr\n    name\n    legalForm {\n      short\n      long\n    }\n    status\n    founded\n    address {\n      street\n      postcode\n      city\n    }\n    municipality {\n      code\n      name\n      region\n    }\n    industry {\n      code\n      title\n    }\n    employees {\n      band\n      bandLabel\n      count\n      year\n      quarter\n    }\n    source {\n      name\n      syncedAt\n    }\n  }\n}\n\nquery CompaniesPage($first: Int!, $after: String, $filter: CompanyFilter, $orderBy: CompanyOrder) {\n  companies(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        industry {\n          code\n          title\n        }\n        employees {\n          band\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CompanyChanges($first: Int!, $after: String) {\n  companies(first: $first, after: $after, orderBy: CHANGE_SEQUENCE_ASC) {\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        status\n        changeSequence\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query CompanyProfile($cvr: CVR!) {\n  company(cvr: $cvr) {\n    cvr\n    name\n    legalForm {\n      short\n      long\n    }\n    status\n    founded\n    address {\n      street\n      postcode\n      city\n    }\n    municipality {\n      code\n      name\n      region\n    }\n    industry {\n      code\n      title\n    }\n    employees {\n      band\n      bandLabel\n      count\n      year\n      quarter\n    }\n    source {\n      name\n      syncedAt\n    }\n  }\n}\n\nquery CompaniesPage($first: Int!, $after: String, $filter: CompanyFilter, $orderBy: CompanyOrder) {\n  companies(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        industry {\n          code\n          title\n        }\n        employees {\n          band\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nquery CompanyChanges($first: Int!, $after: String) {\n  companies(first: $first, after: $after, orderBy: CHANGE_SEQUENCE_ASC) {\n    edges {\n      cursor\n      node {\n        cvr\n        name\n        status\n        changeSequence\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;