/**
 * Country names as sources spell them → ISO 3166-1 alpha-2. Historical states keep the code
 * ISO reserved for them (East Germany DD, West Germany → DE, Soviet Union SU).
 */
const NAME_TO_CODE: Record<string, string> = {
  afghanistan: 'AF',
  albania: 'AL',
  algeria: 'DZ',
  angola: 'AO',
  argentina: 'AR',
  armenia: 'AM',
  australia: 'AU',
  austria: 'AT',
  azerbaijan: 'AZ',
  bahamas: 'BS',
  bangladesh: 'BD',
  belarus: 'BY',
  belgium: 'BE',
  bermuda: 'BM',
  bolivia: 'BO',
  'bosnia and herzegovina': 'BA',
  botswana: 'BW',
  brazil: 'BR',
  bulgaria: 'BG',
  'burkina faso': 'BF',
  cambodia: 'KH',
  cameroon: 'CM',
  canada: 'CA',
  'cayman islands': 'KY',
  chile: 'CL',
  china: 'CN',
  colombia: 'CO',
  'costa rica': 'CR',
  croatia: 'HR',
  cuba: 'CU',
  cyprus: 'CY',
  'czech republic': 'CZ',
  czechia: 'CZ',
  denmark: 'DK',
  'dominican republic': 'DO',
  'east germany': 'DD',
  ecuador: 'EC',
  egypt: 'EG',
  estonia: 'EE',
  ethiopia: 'ET',
  finland: 'FI',
  france: 'FR',
  'french polynesia': 'PF',
  georgia: 'GE',
  germany: 'DE',
  'west germany': 'DE',
  ghana: 'GH',
  greece: 'GR',
  guatemala: 'GT',
  'hong kong': 'HK',
  hungary: 'HU',
  iceland: 'IS',
  india: 'IN',
  indonesia: 'ID',
  iran: 'IR',
  iraq: 'IQ',
  ireland: 'IE',
  israel: 'IL',
  italy: 'IT',
  jamaica: 'JM',
  japan: 'JP',
  jordan: 'JO',
  kazakhstan: 'KZ',
  kenya: 'KE',
  kosovo: 'XK',
  kuwait: 'KW',
  latvia: 'LV',
  lebanon: 'LB',
  liechtenstein: 'LI',
  lithuania: 'LT',
  luxembourg: 'LU',
  malawi: 'MW',
  malaysia: 'MY',
  malta: 'MT',
  mauritius: 'MU',
  mexico: 'MX',
  monaco: 'MC',
  mongolia: 'MN',
  montenegro: 'ME',
  morocco: 'MA',
  mozambique: 'MZ',
  namibia: 'NA',
  nepal: 'NP',
  netherlands: 'NL',
  'new zealand': 'NZ',
  nicaragua: 'NI',
  nigeria: 'NG',
  norway: 'NO',
  pakistan: 'PK',
  palestine: 'PS',
  panama: 'PA',
  paraguay: 'PY',
  peru: 'PE',
  philippines: 'PH',
  poland: 'PL',
  portugal: 'PT',
  'puerto rico': 'PR',
  qatar: 'QA',
  romania: 'RO',
  russia: 'RU',
  samoa: 'WS',
  'saudi arabia': 'SA',
  senegal: 'SN',
  serbia: 'RS',
  singapore: 'SG',
  slovakia: 'SK',
  slovenia: 'SI',
  somalia: 'SO',
  'south africa': 'ZA',
  'south korea': 'KR',
  korea: 'KR',
  'soviet union': 'SU',
  spain: 'ES',
  'sri lanka': 'LK',
  sudan: 'SD',
  sweden: 'SE',
  switzerland: 'CH',
  syria: 'SY',
  taiwan: 'TW',
  tanzania: 'TZ',
  thailand: 'TH',
  tunisia: 'TN',
  turkey: 'TR',
  türkiye: 'TR',
  uganda: 'UG',
  ukraine: 'UA',
  'united arab emirates': 'AE',
  'united kingdom': 'GB',
  uk: 'GB',
  'united states': 'US',
  usa: 'US',
  uruguay: 'UY',
  'vatican city': 'VA',
  venezuela: 'VE',
  vietnam: 'VN',
  zimbabwe: 'ZW',
};

/** Every officially assigned ISO 3166-1 alpha-2 code (249), plus the historical and user-assigned ones sources use. */
const CODES = new Set([
  ...`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB
GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX
MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE
SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC
VE VG VI VN VU WF WS YE YT ZA ZM ZW`.split(/\s+/),
  'SU',
  'DD',
  'XK',
]);

/** "United States" → "US"; "us" / "US" → "US"; "UK" → "GB"; anything else (e.g. "ZZ") → undefined. */
export function toCountryCode(value: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  // Names first: "UK" is a name people write, not an ISO code.
  const named = NAME_TO_CODE[text.toLowerCase()];
  if (named) return named;
  const code = text.toUpperCase();
  return /^[A-Z]{2}$/.test(code) && CODES.has(code) ? code : undefined;
}

/** Region codes for availability are plain ISO alpha-2, upper-case. */
export const REGION_PATTERN = /^[A-Z]{2}$/;

/** Countries that no longer exist: a title's origin may name them, a person's region may not. */
const FORMER = new Set(['SU', 'DD']);

/** A region offers can be in: an assigned ISO 3166-1 alpha-2 code of a country today ("XX" and "ZZ" are not). */
export function isRegion(code: string): boolean {
  return REGION_PATTERN.test(code) && CODES.has(code) && !FORMER.has(code);
}
