/**
 * An error and the errors that caused it, outermost first, to a bounded depth: a driver's error
 * (node-postgres, a socket) usually arrives wrapped by knex or by our own code a level or two
 * down, and the classifiers here look for it wherever it sits.
 */
export function* causeChain(error: unknown, maxDepth = 3): Generator<Error> {
  let current = error;
  for (let depth = 0; depth <= maxDepth && current instanceof Error; depth += 1) {
    yield current;
    current = current.cause;
  }
}
