/**
 * Time zones for the date functions: Go's *time.Location (UTC, fixed zones, IANA zones) with
 * offsets from the JavaScript engine's Intl (ICU's copy of the tz database) and zone abbreviations
 * from a table taken from tzdata 2025b (the abbreviations Go prints for `MST`: "EST", "CEST",
 * "JST"; zones without one print their offset, "+0545", "-03", as tzdata does).
 *
 * Names load as Go's time.LoadLocation does on Linux: "" and "UTC" are UTC, "Local" is the local
 * zone, other names must be tz database names (case matters); an unknown name is an error
 * (sprig then falls back to UTC).
 */
import { GoStruct } from '../value';
import type { FuncDef } from '../value';

/** Current tzdata abbreviations and offsets (seconds east of UTC), by the zones that use them. */
const ABBREVIATIONS: Record<string, string> = {
  "ACDT 37800 ACST 34200": "Australia/Adelaide Australia/Broken_Hill Australia/South Australia/Yancowinna",
  "ACST 34200": "Australia/Darwin Australia/North",
  "AEDT 39600 AEST 36000": "Antarctica/Macquarie Australia/ACT Australia/Canberra Australia/Currie Australia/Hobart Australia/Melbourne Australia/NSW Australia/Sydney Australia/Tasmania Australia/Victoria",
  "AEST 36000": "Australia/Brisbane Australia/Lindeman Australia/Queensland",
  "AKST -32400 AKDT -28800": "America/Anchorage America/Juneau America/Metlakatla America/Nome America/Sitka America/Yakutat US/Alaska",
  "AST -14400 ADT -10800": "America/Glace_Bay America/Goose_Bay America/Halifax America/Moncton America/Thule Atlantic/Bermuda Canada/Atlantic",
  "AST -14400": "America/Anguilla America/Antigua America/Aruba America/Barbados America/Blanc-Sablon America/Curacao America/Dominica America/Grenada America/Guadeloupe America/Kralendijk America/Lower_Princes America/Marigot America/Martinique America/Montserrat America/Port_of_Spain America/Puerto_Rico America/Santo_Domingo America/St_Barthelemy America/St_Kitts America/St_Lucia America/St_Thomas America/St_Vincent America/Tortola America/Virgin",
  "AWST 28800": "Australia/Perth Australia/West",
  "CAT 7200": "Africa/Blantyre Africa/Bujumbura Africa/Gaborone Africa/Harare Africa/Juba Africa/Khartoum Africa/Kigali Africa/Lubumbashi Africa/Lusaka Africa/Maputo Africa/Windhoek",
  "CET 3600 CEST 7200": "Africa/Ceuta Arctic/Longyearbyen Atlantic/Jan_Mayen CET Europe/Amsterdam Europe/Andorra Europe/Belgrade Europe/Berlin Europe/Bratislava Europe/Brussels Europe/Budapest Europe/Busingen Europe/Copenhagen Europe/Gibraltar Europe/Ljubljana Europe/Luxembourg Europe/Madrid Europe/Malta Europe/Monaco Europe/Oslo Europe/Paris Europe/Podgorica Europe/Prague Europe/Rome Europe/San_Marino Europe/Sarajevo Europe/Skopje Europe/Stockholm Europe/Tirane Europe/Vaduz Europe/Vatican Europe/Vienna Europe/Warsaw Europe/Zagreb Europe/Zurich Poland",
  "CET 3600": "Africa/Algiers Africa/Tunis",
  "CST -18000 CDT -14400": "America/Havana Cuba",
  "CST -21600 CDT -18000": "America/Chicago America/Indiana/Knox America/Indiana/Tell_City America/Knox_IN America/Matamoros America/Menominee America/North_Dakota/Beulah America/North_Dakota/Center America/North_Dakota/New_Salem America/Ojinaga America/Rainy_River America/Rankin_Inlet America/Resolute America/Winnipeg CST6CDT Canada/Central US/Central US/Indiana-Starke",
  "CST -21600": "America/Bahia_Banderas America/Belize America/Chihuahua America/Costa_Rica America/El_Salvador America/Guatemala America/Managua America/Merida America/Mexico_City America/Monterrey America/Regina America/Swift_Current America/Tegucigalpa Canada/Saskatchewan Mexico/General",
  "CST 28800": "Asia/Chongqing Asia/Chungking Asia/Harbin Asia/Macao Asia/Macau Asia/Shanghai Asia/Taipei PRC ROC",
  "ChST 36000": "Pacific/Guam Pacific/Saipan",
  "EAT 10800": "Africa/Addis_Ababa Africa/Asmara Africa/Asmera Africa/Dar_es_Salaam Africa/Djibouti Africa/Kampala Africa/Mogadishu Africa/Nairobi Indian/Antananarivo Indian/Comoro Indian/Mayotte",
  "EET 7200 EEST 10800": "Africa/Cairo Asia/Beirut Asia/Famagusta Asia/Gaza Asia/Hebron Asia/Nicosia EET Egypt Europe/Athens Europe/Bucharest Europe/Chisinau Europe/Helsinki Europe/Kiev Europe/Kyiv Europe/Mariehamn Europe/Nicosia Europe/Riga Europe/Sofia Europe/Tallinn Europe/Tiraspol Europe/Uzhgorod Europe/Vilnius Europe/Zaporozhye",
  "EET 7200": "Africa/Tripoli Europe/Kaliningrad Libya",
  "EST -18000 EDT -14400": "America/Detroit America/Fort_Wayne America/Grand_Turk America/Indiana/Indianapolis America/Indiana/Marengo America/Indiana/Petersburg America/Indiana/Vevay America/Indiana/Vincennes America/Indiana/Winamac America/Indianapolis America/Iqaluit America/Kentucky/Louisville America/Kentucky/Monticello America/Louisville America/Montreal America/Nassau America/New_York America/Nipigon America/Pangnirtung America/Port-au-Prince America/Thunder_Bay America/Toronto Canada/Eastern EST5EDT US/East-Indiana US/Eastern US/Michigan",
  "EST -18000": "America/Atikokan America/Cancun America/Cayman America/Coral_Harbour America/Jamaica America/Panama EST Jamaica",
  "GMT 0 BST 3600": "Europe/Belfast Europe/Guernsey Europe/Isle_of_Man Europe/Jersey Europe/London GB GB-Eire",
  "GMT 0 IST 3600": "Eire Europe/Dublin",
  "GMT 0": "Africa/Abidjan Africa/Accra Africa/Bamako Africa/Banjul Africa/Bissau Africa/Conakry Africa/Dakar Africa/Freetown Africa/Lome Africa/Monrovia Africa/Nouakchott Africa/Ouagadougou Africa/Sao_Tome Africa/Timbuktu America/Danmarkshavn Atlantic/Reykjavik Atlantic/St_Helena Etc/GMT Etc/GMT+0 Etc/GMT-0 Etc/GMT0 Etc/Greenwich GMT GMT+0 GMT-0 GMT0 Greenwich Iceland",
  "HKT 28800": "Asia/Hong_Kong Hongkong",
  "HST -36000 HDT -32400": "America/Adak America/Atka US/Aleutian",
  "HST -36000": "HST Pacific/Honolulu Pacific/Johnston US/Hawaii",
  "IST 19800": "Asia/Calcutta Asia/Kolkata",
  "IST 7200 IDT 10800": "Asia/Jerusalem Asia/Tel_Aviv Israel",
  "JST 32400": "Asia/Tokyo Japan",
  "KST 32400": "Asia/Pyongyang Asia/Seoul ROK",
  "MET 3600 MEST 7200": "MET",
  "MSK 10800": "Europe/Kirov Europe/Moscow Europe/Simferopol Europe/Volgograd W-SU",
  "MST -25200 MDT -21600": "America/Boise America/Cambridge_Bay America/Ciudad_Juarez America/Denver America/Edmonton America/Inuvik America/Shiprock America/Yellowknife Canada/Mountain MST7MDT Navajo US/Mountain",
  "MST -25200": "America/Creston America/Dawson America/Dawson_Creek America/Fort_Nelson America/Hermosillo America/Mazatlan America/Phoenix America/Whitehorse Canada/Yukon MST Mexico/BajaSur US/Arizona",
  "NST -12600 NDT -9000": "America/St_Johns Canada/Newfoundland",
  "NZDT 46800 NZST 43200": "Antarctica/McMurdo Antarctica/South_Pole NZ Pacific/Auckland",
  "PKT 18000": "Asia/Karachi",
  "PST -28800 PDT -25200": "America/Ensenada America/Los_Angeles America/Santa_Isabel America/Tijuana America/Vancouver Canada/Pacific Mexico/BajaNorte PST8PDT US/Pacific",
  "PST 28800": "Asia/Manila",
  "SAST 7200": "Africa/Johannesburg Africa/Maseru Africa/Mbabane",
  "SST -39600": "Pacific/Midway Pacific/Pago_Pago Pacific/Samoa US/Samoa",
  "UTC 0": "Etc/UCT Etc/UTC Etc/Universal Etc/Zulu UCT UTC Universal Zulu",
  "WAT 3600": "Africa/Bangui Africa/Brazzaville Africa/Douala Africa/Kinshasa Africa/Lagos Africa/Libreville Africa/Luanda Africa/Malabo Africa/Ndjamena Africa/Niamey Africa/Porto-Novo",
  "WET 0 WEST 3600": "Atlantic/Canary Atlantic/Faeroe Atlantic/Faroe Atlantic/Madeira Europe/Lisbon Portugal WET",
  "WIB 25200": "Asia/Jakarta Asia/Pontianak",
  "WIT 32400": "Asia/Jayapura",
  "WITA 28800": "Asia/Makassar Asia/Ujung_Pandang",
};

let abbrIndex: Map<string, [string, number][]> | undefined;

/** The lettered abbreviations of a zone, e.g. America/New_York → [["EST", -18000], ["EDT", -14400]]. */
function abbreviationsOf(zone: string): [string, number][] | undefined {
  if (!abbrIndex) {
    abbrIndex = new Map();
    for (const spec of Object.keys(ABBREVIATIONS)) {
      const p = spec.split(' ');
      const entries: [string, number][] = [];
      for (let i = 0; i < p.length; i += 2) entries.push([p[i], Number(p[i + 1])]);
      for (const z of ABBREVIATIONS[spec].split(' ')) abbrIndex.set(z, entries);
    }
  }
  return abbrIndex.get(zone);
}

/** tzdata's numeric abbreviation: "+03", "-0330", "+0545". */
function numericAbbr(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return sign + String(h).padStart(2, '0') + (m !== 0 ? String(m).padStart(2, '0') : '');
}

const MAX_MS = 8.64e15;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (any year). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The offset (seconds east of UTC) of an IANA zone at a Unix second, from Intl. */
function intlOffset(zone: string, unixSec: number): number {
  let ms = unixSec * 1000;
  if (ms > MAX_MS) ms = MAX_MS;
  if (ms < -MAX_MS) ms = -MAX_MS;
  ms = Math.floor(ms / 1000) * 1000;
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of formatter(zone).formatToParts(ms)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value) % 24;
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
    }
  }
  if (bc) y = 1 - y;
  const wall = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return wall - ms / 1000;
}

/** What a location says about an instant: the zone abbreviation and offset. */
export interface ZoneInfo {
  abbr: string;
  offset: number;
}

/** Go's *time.Location. `String()` (what `%v` prints) is its name. */
export class GoLocation extends GoStruct {
  readonly goType = '*time.Location';
  private cache = new Map<number, ZoneInfo>();
  private constructor(
    /** The name as Go reports it: "UTC", "Local"'s zone name, "America/New_York", a fixed zone's name. */
    readonly name: string,
    /** The IANA zone for Intl, or undefined for UTC and fixed zones. */
    private readonly zone: string | undefined,
    private readonly fixed: ZoneInfo,
    private readonly abbrs: [string, number][] | undefined,
  ) {
    super();
  }
  static readonly UTC = new GoLocation('UTC', undefined, { abbr: 'UTC', offset: 0 }, [['UTC', 0]]);
  /** time.FixedZone(name, offset). */
  static fixed(name: string, offset: number): GoLocation {
    return new GoLocation(name, undefined, { abbr: name, offset }, name ? [[name, offset]] : []);
  }
  /** A location for a tz database name Intl knows (`ianaZone` is what Intl is asked). */
  static zone(name: string, ianaZone: string): GoLocation {
    if (ianaZone === 'UTC' || ianaZone === 'Etc/UTC' || ianaZone === 'GMT' || ianaZone === 'Etc/GMT') {
      const abbr = abbreviationsOf(name)?.[0][0] ?? 'UTC';
      return new GoLocation(name, undefined, { abbr, offset: 0 }, [[abbr, 0]]);
    }
    return new GoLocation(name, ianaZone, { abbr: 'UTC', offset: 0 }, abbreviationsOf(name) ?? abbreviationsOf(ianaZone));
  }
  /** The zone in effect at a Unix second. */
  lookup(unixSec: number): ZoneInfo {
    if (this.zone === undefined) return this.fixed;
    let z = this.cache.get(unixSec);
    if (z) return z;
    const offset = intlOffset(this.zone, unixSec);
    let abbr: string | undefined;
    if (this.abbrs) for (const [a, o] of this.abbrs) if (o === offset) abbr = a;
    // Offsets in odd seconds are local mean time, the first period of every zone in tzdata.
    z = { abbr: abbr ?? (offset % 60 !== 0 ? 'LMT' : numericAbbr(offset)), offset };
    if (this.cache.size > 512) this.cache.clear();
    this.cache.set(unixSec, z);
    return z;
  }
  /**
   * Location.lookupName: the offset of a zone abbreviation this location uses ("EDT" in New York is
   * -4h even in January), or undefined.
   */
  lookupName(abbr: string, unixSec: number): number | undefined {
    const now = this.lookup(unixSec);
    if (now.abbr === abbr) return now.offset;
    if (this.abbrs) for (const [a, o] of this.abbrs) if (a === abbr) return o;
    return undefined;
  }
  override format(): string {
    return this.name;
  }
  override method(name: string): FuncDef | undefined {
    return name === 'String' ? { name, params: [], result: 'string', fn: () => this.name } : undefined;
  }
}

const SUPPORTED = new Set<string>();
let supportedLoaded = false;

/** Whether Go would find this name in the tz database (Linux: a case-sensitive file name). */
function ianaZoneFor(name: string): string | undefined {
  if (name.includes('..') || name[0] === '/' || name[0] === '\\') return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  if (resolved === name || abbreviationsOf(name)) return resolved;
  if (!supportedLoaded) {
    supportedLoaded = true;
    const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
    for (const z of intl.supportedValuesOf?.('timeZone') ?? []) SUPPORTED.add(z);
  }
  if (SUPPORTED.has(name)) return resolved;
  // An alias (Asia/Calcutta) is fine, a differently-cased name (america/new_york) is not.
  if (resolved.toLowerCase() === name.toLowerCase()) return undefined;
  return /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(name) ? resolved : undefined;
}

const loaded = new Map<string, GoLocation | null>();

/** time.LoadLocation: undefined when Go reports an error ("unknown time zone X"). */
export function loadLocation(name: string, local: GoLocation): GoLocation | undefined {
  if (name === '' || name === 'UTC') return GoLocation.UTC;
  if (name === 'Local') return local;
  let l = loaded.get(name);
  if (l === undefined) {
    const zone = ianaZoneFor(name);
    l = zone === undefined ? null : GoLocation.zone(name, zone);
    loaded.set(name, l);
  }
  return l ?? undefined;
}

/** time.Local for a zone name (env.localZone): named after it; UTC when the name is unknown or empty. */
export function localLocation(zoneName: string): GoLocation {
  if (zoneName === '' || zoneName === 'UTC') return GoLocation.zone('UTC', 'UTC');
  const zone = ianaZoneFor(zoneName);
  return zone === undefined ? GoLocation.zone('UTC', 'UTC') : GoLocation.zone(zoneName, zone);
}
