// The assigned ISO 3166-1 alpha-2 country codes (249, as of the 2019 list: North Macedonia kept MK,
// Eswatini SZ). One compact string so the list costs a few hundred bytes in every build; the feed
// reader keeps only these (a hostile feed's "XX", "EU" or "IT<script>" is dropped) and a report
// names only these. User-assigned or reserved codes (XK, EU, UK, ZZ) are not countries here.

const CODES =
  'ADAEAFAGAIALAMAOAQARASATAUAWAXAZ' +
  'BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ' +
  'CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ' +
  'DEDJDKDMDODZ' +
  'ECEEEGEHERESET' +
  'FIFJFKFMFOFR' +
  'GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY' +
  'HKHMHNHRHTHU' +
  'IDIEILIMINIOIQIRISIT' +
  'JEJMJOJP' +
  'KEKGKHKIKMKNKPKRKWKYKZ' +
  'LALBLCLILKLRLSLTLULVLY' +
  'MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ' +
  'NANCNENFNGNINLNONPNRNUNZ' +
  'OM' +
  'PAPEPFPGPHPKPLPMPNPRPSPTPWPY' +
  'QA' +
  'RERORSRURW' +
  'SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ' +
  'TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ' +
  'UAUGUMUSUYUZ' +
  'VAVCVEVGVIVNVU' +
  'WFWS' +
  'YEYT' +
  'ZAZMZW';

/** Every assigned ISO 3166-1 alpha-2 code, in alphabetical order. */
export const COUNTRY_CODES: readonly string[] = CODES.match(/[A-Z]{2}/g) ?? [];

const KNOWN = new Set(COUNTRY_CODES);

/** Whether a value is an assigned ISO 3166-1 alpha-2 code (upper case, exactly). */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && KNOWN.has(value);
}
