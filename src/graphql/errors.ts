import { GraphQLError } from 'graphql';

/** A client mistake in an argument or input field; `field` is the path a client can act on. */
export function badInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}
