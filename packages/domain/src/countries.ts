/**
 * Country names as sources spell them → ISO 3166-1 alpha-2. Historical states keep the code
 * ISO reserved for them (East Germany DD, West Germany → DE, Soviet Union SU).
 */
const NAME_TO_CODE: Record<string, string> = {
  afghanistan: 'AF', albania: 'AL', algeria: 'DZ', angola: 'AO', argentina: 'AR', armenia: 'AM',
  australia: 'AU', austria: 'AT', azerbaijan: 'AZ', bahamas: 'BS', bangladesh: 'BD', belarus: 'BY',
  belgium: 'BE', bermuda: 'BM', bolivia: 'BO', 'bosnia and herzegovina': 'BA', botswana: 'BW', brazil: 'BR',
  bulgaria: 'BG', 'burkina faso': 'BF', cambodia: 'KH', cameroon: 'CM', canada: 'CA', 'cayman islands': 'KY',
  chile: 'CL', china: 'CN', colombia: 'CO', 'costa rica': 'CR', croatia: 'HR', cuba: 'CU', cyprus: 'CY',
  'czech republic': 'CZ', czechia: 'CZ', denmark: 'DK', 'dominican republic': 'DO', 'east germany': 'DD',
  ecuador: 'EC', egypt: 'EG', estonia: 'EE', ethiopia: 'ET', finland: 'FI', france: 'FR',
  'french polynesia': 'PF', georgia: 'GE', germany: 'DE', 'west germany': 'DE', ghana: 'GH', greece: 'GR',
  guatemala: 'GT', 'hong kong': 'HK', hungary: 'HU', iceland: 'IS', india: 'IN', indonesia: 'ID', iran: 'IR',
  iraq: 'IQ', ireland: 'IE', israel: 'IL', italy: 'IT', jamaica: 'JM', japan: 'JP', jordan: 'JO',
  kazakhstan: 'KZ', kenya: 'KE', kosovo: 'XK', kuwait: 'KW', latvia: 'LV', lebanon: 'LB', liechtenstein: 'LI',
  lithuania: 'LT', luxembourg: 'LU', malawi: 'MW', malaysia: 'MY', malta: 'MT', mauritius: 'MU', mexico: 'MX',
  monaco: 'MC', mongolia: 'MN', montenegro: 'ME', morocco: 'MA', mozambique: 'MZ', namibia: 'NA', nepal: 'NP',
  netherlands: 'NL', 'new zealand': 'NZ', nicaragua: 'NI', nigeria: 'NG', norway: 'NO', pakistan: 'PK',
  palestine: 'PS', panama: 'PA', paraguay: 'PY', peru: 'PE', philippines: 'PH', poland: 'PL', portugal: 'PT',
  'puerto rico': 'PR', qatar: 'QA', romania: 'RO', russia: 'RU', samoa: 'WS', 'saudi arabia': 'SA',
  senegal: 'SN', serbia: 'RS', singapore: 'SG', slovakia: 'SK', slovenia: 'SI', somalia: 'SO',
  'south africa': 'ZA', 'south korea': 'KR', korea: 'KR', 'soviet union': 'SU', spain: 'ES', 'sri lanka': 'LK',
  sudan: 'SD', sweden: 'SE', switzerland: 'CH', syria: 'SY', taiwan: 'TW', tanzania: 'TZ', thailand: 'TH',
  tunisia: 'TN', turkey: 'TR', 'türkiye': 'TR', uganda: 'UG', ukraine: 'UA', 'united arab emirates': 'AE',
  'united kingdom': 'GB', uk: 'GB', 'united states': 'US', usa: 'US', uruguay: 'UY', 'vatican city': 'VA',
  venezuela: 'VE', vietnam: 'VN', zimbabwe: 'ZW',
};

const CODES = new Set([...Object.values(NAME_TO_CODE), 'SU', 'DD', 'XK']);

/** "United States" → "US"; "us" / "US" → "US"; unknown → undefined. */
export function toCountryCode(value: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  if (/^[A-Za-z]{2}$/.test(text)) {
    const code = text.toUpperCase();
    return CODES.has(code) || /^[A-Z]{2}$/.test(code) ? code : undefined;
  }
  return NAME_TO_CODE[text.toLowerCase()];
}

/** Region codes for availability are plain ISO alpha-2, upper-case. */
export const REGION_PATTERN = /^[A-Z]{2}$/;
