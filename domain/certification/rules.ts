/**
 * The rules of a request, the same whether a citizen asks in the chat or staff take it by
 * telephone: copies of one paper (more is a counter matter, printed and stamped by hand), and the
 * shortest postal address that can hold a house number, street, commune and province.
 */
export const COPIES_PER_PAPER = { min: 1, max: 20 } as const;
export const MIN_POSTAL_ADDRESS_LENGTH = 15;
