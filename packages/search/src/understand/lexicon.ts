import type { Genre } from '@media-gateway/domain';

/**
 * Curated vocabulary for query understanding. Moods map to "any of" these genres (a filter) and
 * to keywords that also go to the text search (ranking). Kept in one place so SPEC.md can cite it.
 */
export const MOODS: ReadonlyArray<{ mood: string; pattern: RegExp; anyOf: Genre[]; keywords: string[] }> = [
  { mood: 'scary', pattern: /\b(scary|scariest|creepy|spooky|terrifying|frightening|chilling|haunting)\b/g, anyOf: ['horror', 'thriller'], keywords: ['scary', 'terror', 'haunted'] },
  { mood: 'feel-good', pattern: /\b(feel[- ]?good|uplifting|heart[- ]?warming|wholesome|cheerful)\b/g, anyOf: ['comedy', 'family', 'romance', 'music'], keywords: ['heartwarming', 'friendship'] },
  { mood: 'mind-bending', pattern: /\b(mind[- ]?bending|mind[- ]?blowing|trippy|cerebral|twisty)\b/g, anyOf: ['science-fiction', 'mystery', 'thriller'], keywords: ['reality', 'time', 'mystery'] },
  { mood: 'cozy', pattern: /\b(cozy|cosy|comfort(?:ing)?|relaxing|chill)\b/g, anyOf: ['comedy', 'family', 'romance', 'animation'], keywords: ['small town', 'friends'] },
  { mood: 'dark', pattern: /\b(dark|gritty|bleak|disturbing|grim)\b/g, anyOf: ['crime', 'thriller', 'drama', 'horror', 'war'], keywords: ['dark', 'murder', 'revenge'] },
  { mood: 'funny', pattern: /\b(funny|hilarious|lighthearted|light[- ]hearted|laugh(?:s)?)\b/g, anyOf: ['comedy', 'stand-up'], keywords: ['funny'] },
  { mood: 'romantic', pattern: /\b(romantic|love stor(?:y|ies)|date[- ]night)\b/g, anyOf: ['romance'], keywords: ['love'] },
  { mood: 'true story', pattern: /\b((?:based on )?(?:a )?true stor(?:y|ies)|real events|real[- ]life)\b/g, anyOf: ['biography', 'documentary', 'history'], keywords: ['true story', 'real'] },
  { mood: 'sad', pattern: /\b(sad|tear[- ]?jerkers?|emotional|moving)\b/g, anyOf: ['drama', 'romance'], keywords: ['loss', 'grief'] },
  { mood: 'exciting', pattern: /\b(exciting|thrilling|action[- ]packed|adrenaline|intense)\b/g, anyOf: ['action', 'thriller', 'adventure'], keywords: ['chase', 'mission'] },
  { mood: 'epic', pattern: /\b(epic)\b/g, anyOf: ['adventure', 'fantasy', 'history', 'war'], keywords: ['epic', 'quest'] },
  { mood: 'inspiring', pattern: /\b(inspiring|inspirational|motivational)\b/g, anyOf: ['biography', 'sport', 'drama', 'documentary'], keywords: ['inspiring', 'overcome'] },
  { mood: 'suspenseful', pattern: /\b(suspenseful|tense|edge of (?:my|your) seat)\b/g, anyOf: ['thriller', 'mystery', 'horror'], keywords: ['suspense'] },
];

/** Explicit genre words → taxonomy slugs (all required). Plurals and common spellings included. */
export const GENRE_WORDS: ReadonlyArray<[RegExp, Genre[]]> = [
  [/\brom[- ]?coms?\b/, ['romance', 'comedy']],
  [/\bk[- ]?dramas?\b/, ['drama']],
  [/\b(horror|slashers?)\b/, ['horror']],
  [/\b(comed(?:y|ies)|comedic|sitcoms?)\b/, ['comedy']],
  [/\b(dramas?|dramatic)\b/, ['drama']],
  [/\b(thrillers?)\b/, ['thriller']],
  [/\b(action)\b/, ['action']],
  [/\b(superheroe?s?)\b/, ['action']],
  [/\b(adventures?)\b/, ['adventure']],
  [/\b(animated|animation|cartoons?)\b/, ['animation']],
  [/\b(anime)\b/, ['anime']],
  [/\b(documentar(?:y|ies)|docs|docuseries|documentary series)\b/, ['documentary']],
  [/\b(romance|romances)\b/, ['romance']],
  [/\b(sci[- ]?fi|science[- ]fiction)\b/, ['science-fiction']],
  [/\b(fantasy|fantasies)\b/, ['fantasy']],
  [/\b(crime)\b/, ['crime']],
  [/\b(myster(?:y|ies)|whodunn?its?)\b/, ['mystery']],
  [/\b(westerns?)\b/, ['western']],
  [/\b(war)\b/, ['war']],
  [/\b(musicals?)\b/, ['music']],
  [/\b(sports?)\b/, ['sport']],
  [/\b(reality(?: tv| shows?)?|game shows?)\b/, ['reality']],
  [/\b(stand[- ]?up(?: comedy)?|comedy specials?)\b/, ['stand-up']],
  [/\b(biograph(?:y|ies)|biopics?)\b/, ['biography']],
  [/\b(histor(?:y|ical)|period pieces?)\b/, ['history']],
  [/\b(teen|coming[- ]of[- ]age)\b/, ['teen']],
  [/\b(lgbtq\+?|queer)\b/, ['lgbtq']],
];

/** Nationality/language adjectives → production country and original language. */
export const NATIONALITIES: ReadonlyArray<[RegExp, string, string | undefined]> = [
  [/\b(korean|k[- ]?dramas?)\b/, 'KR', 'ko'], [/\b(japanese)\b/, 'JP', 'ja'], [/\b(british|uk)\b/, 'GB', undefined],
  [/\b(french)\b/, 'FR', 'fr'], [/\b(spanish)\b/, 'ES', 'es'], [/\b(german)\b/, 'DE', 'de'], [/\b(italian)\b/, 'IT', 'it'],
  [/\b(indian|bollywood)\b/, 'IN', 'hi'], [/\b(chinese)\b/, 'CN', 'zh'], [/\b(mexican)\b/, 'MX', undefined],
  [/\b(canadian)\b/, 'CA', undefined], [/\b(australian)\b/, 'AU', undefined], [/\b(american)\b/, 'US', undefined],
  [/\b(turkish)\b/, 'TR', 'tr'], [/\b(nigerian|nollywood)\b/, 'NG', undefined], [/\b(brazilian)\b/, 'BR', 'pt'],
  [/\b(swedish)\b/, 'SE', 'sv'], [/\b(danish)\b/, 'DK', 'da'], [/\b(norwegian)\b/, 'NO', 'no'], [/\b(irish)\b/, 'IE', undefined],
  [/\b(thai)\b/, 'TH', 'th'], [/\b(filipino)\b/, 'PH', undefined], [/\b(egyptian)\b/, 'EG', 'ar'], [/\b(indonesian)\b/, 'ID', 'id'],
  [/\b(polish)\b/, 'PL', 'pl'], [/\b(argentin(?:e|ian))\b/, 'AR', undefined], [/\b(belgian)\b/, 'BE', undefined],
];

/** Words that carry no search meaning in a request ("show me something good"). */
export const STOPWORDS = new Set([
  'a', 'an', 'the', 'some', 'something', 'anything', 'me', 'i', 'im', "i'm", 'want', 'wanna', 'to', 'watch', 'watching', 'show',
  'find', 'give', 'recommend', 'please', 'good', 'great', 'best', 'top', 'new', 'of', 'and', 'or', 'that', 'which', 'is', 'are',
  'on', 'in', 'for', 'with', 'what', 'should', 'can', 'could', 'you', 'my', 'we', 'our', 'tonight', 'today', 'now', 'really',
  'very', 'kind', 'sort', 'stuff', 'things', 'one', 'ones', 'like', 'about', 'it', 'be', 'get', 'available', 'streaming', 'stream',
  'titles', 'title', 'picks', 'pick', 'suggestions', 'ideas', 'let', 'lets', "let's", 'feel', 'mood', 'need', 'looking', 'look',
  'something', 'movie', 'film', 'set', 'made', 'where', 'there', 'from', 'by', 'at', 'so', 'just', 'also', 'too',
]);
