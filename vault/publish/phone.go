package publish

import (
	"sort"
	"unicode"
)

// Phone numbers: the national significant number of a secret phone number
// (+7 912…, 8 912…, +380 …), read the way libphonenumber's Parse(value,
// "RU") reads it for the numbers the leak scan meets: an international
// number (+ or the Russian international prefix 810) loses its country
// calling code, a national one the default code 7 written without a +,
// and then the national (trunk) prefix of the code's main country when
// what remains has a possible length there.
//
// casevault used github.com/nyaruka/phonenumbers for this; its package
// initialisation (the whole metadata of every region, 2.5 MB, 36–71 ms)
// ran at the start of every command, for a function only `publish` calls.
// This file keeps the one table the function needs (calling codes,
// national prefixes and possible lengths, taken from the library's
// metadata v1.8.1); TestNationalNumberMatchesLibphonenumber, a test that
// still links the library, checks the table against its metadata and the
// function against its Parse on thousands of written forms of numbers.

// A callingCode is a country calling code with its main country's
// national prefix and the possible lengths (bit n: n digits) of its
// national significant numbers.
type callingCode struct {
	code    int
	prefix  string
	lengths uint32
}

// ruInternationalPrefix is the prefix of an international number dialled
// from Russia, the default region of the scan.
const ruInternationalPrefix = "810"

// minNSN and maxNSN bound a national significant number as libphonenumber
// does (shorter or longer is not a phone number).
const (
	minNSN = 2
	maxNSN = 17
)

// nationalNumbers returns the national significant number of the phone
// number in value, or nil when value does not read as one. Where
// libphonenumber decides by a country's number patterns (which the table
// does not hold) whether leading digits are the national prefix, both
// readings are returned, the one it takes most often first: for the leak
// scan, a reading too many costs nothing, one too few misses a leak.
func nationalNumbers(value string) []string {
	d, intl, ok := phoneDigits(value)
	if !ok {
		return nil
	}
	var cc callingCode
	rest := d
	switch {
	case intl || len(d) > len(ruInternationalPrefix) && d[:len(ruInternationalPrefix)] == ruInternationalPrefix:
		if !intl {
			d = d[len(ruInternationalPrefix):]
		}
		var found bool
		for n := 1; n <= 3 && n < len(d) && !found; n++ {
			cc, found = lookupCallingCode(d[:n])
			rest = d[n:]
		}
		if !found {
			return nil
		}
	default:
		cc, _ = lookupCallingCode("7")
		if d[0] == '7' && !cc.possible(len(d)) && cc.possible(len(d)-1) {
			rest = d[1:]
		}
	}
	var out []string
	add := func(n string) {
		if len(n) >= minNSN && len(n) <= maxNSN {
			out = append(out, n)
		}
	}
	if p := cc.prefix; p != "" && len(rest) > len(p) && rest[:len(p)] == p {
		stripped := rest[len(p):]
		if cc.possible(len(stripped)) || !cc.possible(len(rest)) {
			add(stripped)
			add(rest)
		} else {
			add(rest)
			add(stripped)
		}
		return out
	}
	add(rest)
	return out
}

// phoneDigits returns the ASCII digits of the number in value (from its
// first + or digit to the first letter after it: what follows a letter,
// such as an extension, is not part of the number) and whether it was
// written with a leading +.
func phoneDigits(value string) (digits string, intl, ok bool) {
	b := make([]byte, 0, 20)
	started := false
	for _, r := range value {
		switch {
		case r == '+' || r == '＋':
			if started {
				return string(b), intl, len(b) > 0
			}
			started, intl = true, true
		case unicode.IsDigit(r):
			v := digitValue(r)
			if v < 0 {
				return "", false, false
			}
			started = true
			b = append(b, byte('0'+v))
		case unicode.IsLetter(r):
			if started {
				return string(b), intl, len(b) > 0
			}
		}
		if len(b) > 250 {
			return "", false, false
		}
	}
	return string(b), intl, len(b) > 0
}

// digitValue is the value of a decimal digit of any script, or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	// Decimal digits come in runs of ten (some runs of several tens)
	// starting at a zero.
	z := r
	for z > 0 && unicode.IsDigit(z-1) {
		z--
	}
	if !unicode.IsDigit(r) {
		return -1
	}
	return int(r-z) % 10
}

// possible reports whether n digits are a possible length of a national
// significant number under the code.
func (c callingCode) possible(n int) bool {
	return n >= 0 && n < 32 && c.lengths&(1<<n) != 0
}

// lookupCallingCode finds the calling code written as digits.
func lookupCallingCode(digits string) (callingCode, bool) {
	n := 0
	for _, c := range digits {
		n = n*10 + int(c-'0')
	}
	i := sort.Search(len(callingCodes), func(i int) bool { return callingCodes[i].code >= n })
	if i < len(callingCodes) && callingCodes[i].code == n {
		return callingCodes[i], true
	}
	return callingCode{}, false
}

// callingCodes, sorted by code, are libphonenumber's (metadata of
// nyaruka/phonenumbers v1.8.1): the main country's national prefix and
// the possible lengths of its numbers.
var callingCodes = []callingCode{
	{1, "1", 0x400},    // US
	{7, "8", 0x4400},   // RU
	{20, "0", 0x700},   // EG
	{27, "0", 0x7e0},   // ZA
	{30, "", 0x1c00},   // GR
	{31, "0", 0xfe0},   // NL
	{32, "0", 0x300},   // BE
	{33, "0", 0x200},   // FR
	{34, "", 0x200},    // ES
	{36, "06", 0x300},  // HU
	{39, "", 0x1fc0},   // IT
	{40, "0", 0x240},   // RO
	{41, "0", 0x1200},  // CH
	{43, "0", 0x3ff0},  // AT
	{44, "0", 0x680},   // GB
	{45, "", 0x100},    // DK
	{46, "0", 0x17c0},  // SE
	{47, "", 0x120},    // NO
	{48, "", 0x7c0},    // PL
	{49, "0", 0xfff0},  // DE
	{51, "0", 0x300},   // PE
	{52, "", 0x400},    // MX
	{53, "0", 0x5c0},   // CU
	{54, "0", 0xc00},   // AR
	{55, "0", 0xf00},   // BR
	{56, "", 0xe00},    // CL
	{57, "0", 0xd00},   // CO
	{58, "0", 0x400},   // VE
	{60, "0", 0x700},   // MY
	{61, "0", 0x17e0},  // AU
	{62, "0", 0x3ff80}, // ID
	{63, "0", 0x3f40},  // PH
	{64, "0", 0x7e0},   // NZ
	{65, "", 0xd00},    // SG
	{66, "0", 0x2700},  // TH
	{81, "0", 0x3ff00}, // JP
	{82, "0", 0x7f60},  // KR
	{84, "0", 0x780},   // VN
	{86, "0", 0x1f80},  // CN
	{90, "0", 0x3480},  // TR
	{91, "0", 0x3f00},  // IN
	{92, "0", 0x1f00},  // PK
	{93, "0", 0x200},   // AF
	{94, "0", 0x200},   // LK
	{95, "0", 0x7c0},   // MM
	{98, "0", 0x4f0},   // IR
	{211, "0", 0x200},  // SS
	{212, "0", 0x200},  // MA
	{213, "0", 0x300},  // DZ
	{216, "", 0x100},   // TN
	{218, "0", 0x200},  // LY
	{220, "", 0x80},    // GM
	{221, "", 0x200},   // SN
	{222, "", 0x100},   // MR
	{223, "", 0x100},   // ML
	{224, "", 0x300},   // GN
	{225, "", 0x400},   // CI
	{226, "", 0x100},   // BF
	{227, "", 0x100},   // NE
	{228, "", 0x100},   // TG
	{229, "", 0x500},   // BJ
	{230, "", 0x580},   // MU
	{231, "0", 0x380},  // LR
	{232, "0", 0x100},  // SL
	{233, "0", 0x300},  // GH
	{234, "0", 0x7c00}, // NG
	{235, "", 0x100},   // TD
	{236, "", 0x100},   // CF
	{237, "", 0x300},   // CM
	{238, "", 0x80},    // CV
	{239, "", 0x80},    // ST
	{240, "", 0x200},   // GQ
	{241, "", 0x180},   // GA
	{242, "", 0x200},   // CG
	{243, "0", 0x780},  // CD
	{244, "", 0x200},   // AO
	{245, "", 0x280},   // GW
	{246, "", 0x80},    // IO
	{247, "", 0x60},    // AC
	{248, "", 0x80},    // SC
	{249, "0", 0x200},  // SD
	{250, "0", 0x300},  // RW
	{251, "0", 0x200},  // ET
	{252, "0", 0x3c0},  // SO
	{253, "", 0x100},   // DJ
	{254, "0", 0x780},  // KE
	{255, "0", 0x200},  // TZ
	{256, "0", 0x200},  // UG
	{257, "", 0x100},   // BI
	{258, "", 0x300},   // MZ
	{260, "0", 0x200},  // ZM
	{261, "0", 0x200},  // MG
	{262, "0", 0x200},  // RE
	{263, "0", 0x7e0},  // ZW
	{264, "0", 0x300},  // NA
	{265, "0", 0x280},  // MW
	{266, "", 0x100},   // LS
	{267, "", 0x580},   // BW
	{268, "", 0x300},   // SZ
	{269, "", 0x80},    // KM
	{290, "", 0x30},    // SH
	{291, "0", 0x80},   // ER
	{297, "", 0x80},    // AW
	{298, "", 0x40},    // FO
	{299, "", 0x40},    // GL
	{350, "", 0x100},   // GI
	{351, "", 0x200},   // PT
	{352, "", 0xff0},   // LU
	{353, "0", 0x780},  // IE
	{354, "", 0x280},   // IS
	{355, "0", 0x3c0},  // AL
	{356, "", 0x100},   // MT
	{357, "", 0x100},   // CY
	{358, "0", 0x1fe0}, // FI
	{359, "0", 0x13c0}, // BG
	{370, "0", 0x100},  // LT
	{371, "", 0x100},   // LV
	{372, "", 0x580},   // EE
	{373, "0", 0x100},  // MD
	{374, "0", 0x100},  // AM
	{375, "8", 0xfc0},  // BY
	{376, "", 0x340},   // AD
	{377, "0", 0x300},  // MC
	{378, "", 0x500},   // SM
	{380, "0", 0x600},  // UA
	{381, "0", 0x1fc0}, // RS
	{382, "0", 0x300},  // ME
	{383, "0", 0x1f00}, // XK
	{385, "0", 0x380},  // HR
	{386, "0", 0x1e0},  // SI
	{387, "0", 0x300},  // BA
	{389, "0", 0x100},  // MK
	{420, "", 0x1e00},  // CZ
	{421, "0", 0x2c0},  // SK
	{423, "0", 0x280},  // LI
	{500, "", 0x20},    // FK
	{501, "", 0x880},   // BZ
	{502, "", 0x900},   // GT
	{503, "", 0x980},   // SV
	{504, "", 0x900},   // HN
	{505, "", 0x100},   // NI
	{506, "", 0x500},   // CR
	{507, "", 0xd80},   // PA
	{508, "0", 0x240},  // PM
	{509, "", 0x100},   // HT
	{590, "0", 0x200},  // GP
	{591, "0", 0x300},  // BO
	{592, "", 0x80},    // GY
	{593, "0", 0xf00},  // EC
	{594, "0", 0x200},  // GF
	{595, "0", 0xfc0},  // PY
	{596, "0", 0x200},  // MQ
	{597, "", 0xc0},    // SR
	{598, "0", 0x3ff0}, // UY
	{599, "", 0x180},   // CW
	{670, "", 0x180},   // TL
	{672, "", 0x40},    // NF
	{673, "", 0x80},    // BN
	{674, "", 0x80},    // NR
	{675, "", 0x180},   // PG
	{676, "", 0xa0},    // TO
	{677, "", 0xa0},    // SB
	{678, "", 0xa0},    // VU
	{679, "", 0x880},   // FJ
	{680, "", 0x80},    // PW
	{681, "", 0x240},   // WF
	{682, "", 0x20},    // CK
	{683, "", 0x90},    // NU
	{685, "", 0x4e0},   // WS
	{686, "0", 0x120},  // KI
	{687, "", 0x40},    // NC
	{688, "", 0xe0},    // TV
	{689, "", 0x340},   // PF
	{690, "", 0xf0},    // TK
	{691, "", 0x80},    // FM
	{692, "1", 0x80},   // MH
	{800, "", 0x100},   // 001
	{808, "", 0x100},   // 001
	{850, "0", 0x500},  // KP
	{852, "", 0xbe0},   // HK
	{853, "", 0x180},   // MO
	{855, "0", 0x700},  // KH
	{856, "0", 0x700},  // LA
	{870, "", 0x1200},  // 001
	{878, "", 0x1000},  // 001
	{880, "0", 0x7c0},  // BD
	{881, "", 0x600},   // 001
	{882, "", 0x1f80},  // 001
	{883, "", 0x1f00},  // 001
	{886, "0", 0xf80},  // TW
	{888, "", 0x800},   // 001
	{960, "", 0x480},   // MV
	{961, "0", 0x180},  // LB
	{962, "0", 0x300},  // JO
	{963, "0", 0x300},  // SY
	{964, "0", 0x700},  // IQ
	{965, "", 0x180},   // KW
	{966, "0", 0x600},  // SA
	{967, "0", 0x380},  // YE
	{968, "", 0x380},   // OM
	{970, "0", 0x700},  // PS
	{971, "0", 0x1fe0}, // AE
	{972, "0", 0x1f80}, // IL
	{973, "", 0x100},   // BH
	{974, "", 0xb80},   // QA
	{975, "", 0x180},   // BT
	{976, "0", 0x700},  // MN
	{977, "0", 0xd00},  // NP
	{979, "", 0x200},   // 001
	{992, "", 0x200},   // TJ
	{993, "8", 0x100},  // TM
	{994, "0", 0x200},  // AZ
	{995, "0", 0x200},  // GE
	{996, "0", 0x600},  // KG
	{998, "", 0x200},   // UZ
}
