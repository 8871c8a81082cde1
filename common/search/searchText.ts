import { phoneSearchDigits } from '../intake/phone';

// Queue search matches any substring of a party name, a case number, a phone number (typed in any
// format) or the last digits of an ID number. Queries of 3+ characters use SQLite FTS5's trigram
// index over all those fields. Most Chinese names have 2 or 3 characters and trigrams cannot match
// 2, so names also get a table of their character bigrams: a 2-character query is one exact lookup.

const NOT_TOKEN_CHAR = /[^\p{L}\p{N}]+/gu;

/** Full-width to half-width (NFKC), lower case, punctuation and spaces removed. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOT_TOKEN_CHAR, '');
}

/** The text stored in the trigram index: folded fields joined by spaces, which queries never contain. */
export function searchDocument(fields: readonly string[]): string {
  return fields.map(foldForSearch).filter(Boolean).join(' ');
}

/** The distinct 2-character substrings of a name. */
export function nameBigrams(name: string): string[] {
  const chars = Array.from(foldForSearch(name));
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

export type SearchQuery = { kind: 'trigram'; match: string } | { kind: 'name_bigram'; gram: string };

/** Turns what the specialist typed into an index lookup, or null when it is too short to search. */
export function searchQuery(typed: string): SearchQuery | null {
  const folded = phoneSearchDigits(typed) ?? foldForSearch(typed);
  const length = Array.from(folded).length;
  // Folded text is letters and digits only, so it never needs escaping inside the quotes.
  if (length >= 3) return { kind: 'trigram', match: `"${folded}"` };
  if (length === 2) return { kind: 'name_bigram', gram: folded };
  return null;
}
