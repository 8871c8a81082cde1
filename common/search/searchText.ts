import { phoneSearchDigits } from '../intake/phone';

// Queue search matches any substring of a party name (Chinese names are often 2 characters),
// a case number, a phone number (typed in any format) or the last digits of an ID number.
// SQLite FTS5's trigram tokenizer cannot match 2-character queries, so the index stores
// overlapping character BIGRAMS as tokens and a query becomes a phrase of its bigrams:
// adjacency in a phrase gives exact substring semantics for any query of 2+ characters.
// The last character of each field is also stored alone so 1-character queries can use a prefix.

const NOT_TOKEN_CHAR = /[^\p{L}\p{N}]+/gu;

/** Full-width to half-width (NFKC), lower case, punctuation and spaces removed. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_TOKEN_CHAR, '');
}

function bigrams(folded: string): string[] {
  const chars = Array.from(folded);
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/** The document stored in the search index for one task's fields. */
export function searchDocument(fields: readonly string[]): string {
  const grams: string[] = [];
  const tails: string[] = [];
  for (const field of fields) {
    const folded = foldForSearch(field);
    if (!folded) continue;
    grams.push(...bigrams(folded));
    tails.push(Array.from(folded).at(-1)!);
  }
  return [...grams, ...tails].join(' ');
}

/** Turns what the specialist typed into an FTS5 MATCH expression, or null when nothing to match. */
export function searchMatchExpression(query: string): string | null {
  const phone = phoneSearchDigits(query);
  const folded = phone ?? foldForSearch(query);
  const chars = Array.from(folded);
  if (chars.length === 0) return null;
  // Tokens are letters and digits only, so they never need escaping inside the quotes.
  if (chars.length === 1) return `"${folded}"*`;
  return `"${bigrams(folded).join(' ')}"`;
}
