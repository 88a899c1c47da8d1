// Package phone parses telephone numbers as people write them — with
// spaces, dashes, brackets, a country code or none, full-width digits, an
// extension — using the metadata of libphonenumber
// (github.com/nyaruka/phonenumbers). A number without a country code is
// read as a number of mainland China. It is a leaf package: the domain
// validates every phone number through it (zhagen.ParsePhone).
package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Region is the region of a number written without a country code.
const Region = "CN"

// Number is a parsed telephone number.
type Number struct {
	// E164 is the number in E.164 form, e.g. "+8613800138000", without
	// its extension.
	E164 string
	// Extension is the extension (分机号) written after the number, if any.
	Extension string
	// Mobile reports a mobile number (or one that may be either, in
	// regions that do not tell them apart).
	Mobile bool
	// China reports a number of mainland China (+86).
	China bool
}

// Parse reads text as a telephone number; ok is false when it is not one
// (no number in it, too short or long, or a number that cannot exist).
// "转" introduces an extension, as in "0591-87654321转8001".
func Parse(text string) (n Number, ok bool) {
	text = strings.ReplaceAll(strings.TrimSpace(text), "转", " ext. ")
	if text == "" {
		return n, false
	}
	p, err := phonenumbers.Parse(text, Region)
	if err != nil || !phonenumbers.IsValidNumber(p) {
		return n, false
	}
	typ := phonenumbers.GetNumberType(p)
	return Number{
		E164:      phonenumbers.Format(p, phonenumbers.E164),
		Extension: p.GetExtension(),
		Mobile:    typ == phonenumbers.MOBILE || typ == phonenumbers.FIXED_LINE_OR_MOBILE,
		China:     p.GetCountryCode() == 86,
	}, true
}
