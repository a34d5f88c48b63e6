import type { Catalog } from '../../domain/catalog/store';

/**
 * The procedure catalog as flows see it: search the index built at start, read a procedure,
 * build share links, and remember questions nobody could answer. The domain's
 * catalog (domain/catalog/store.ts) satisfies it; flows never see its admin writes.
 *
 * @example
 * const found = await ctx.services.procedures.search('lam giay khai sinh');
 * if (found.decision === 'one') return card(ctx, await ctx.services.procedures.get(found.choices[0].code));
 */
export type ProcedureCatalog = Pick<Catalog, 'search' | 'get' | 'link' | 'recordUnanswered'>;
