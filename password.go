package zhagen

import (
	_ "embed"
	"strings"
	"unicode"
)

// The lists of common passwords and of the words people build passwords
// from, one a line, lower case; lines starting with # are comments.
var (
	//go:embed common_passwords.txt
	commonPasswordsText string
	//go:embed common_words.txt
	commonWordsText string

	commonPasswords = wordSet(commonPasswordsText)
	commonWords     = wordSet(commonWordsText)
)

func wordSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
}

// CommonPassword reports whether pw is common or easily guessed: on the
// list of common passwords (in any case, with or without its symbols, with
// letter-for-symbol swaps such as p@ssw0rd undone), or nothing but a
// common word or name (woaini, wang, zhagen, admin…) with digits and
// symbols around it (woaini1314, Zhagen@2026, Wang123456!), give or take
// one letter.
func CommonPassword(pw string) bool {
	lower := strings.ToLower(pw)
	for _, v := range []string{lower, alnum(lower), alnum(unleet(lower))} {
		if commonPasswords[v] {
			return true
		}
		// The word alone, or with one letter added before or after it
		// (Zhagen2026a, 1qaz2wsx!Q).
		l := []rune(letters(v))
		if commonWords[string(l)] || len(l) > 1 && (commonWords[string(l[1:])] || commonWords[string(l[:len(l)-1])]) {
			return true
		}
	}
	return false
}

// alnum keeps the letters and digits of s.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// letters keeps the letters of s; "" when it has none, which is a common
// word too (a password of digits and symbols).
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, s)
}

// unleet undoes the usual swaps of a letter for a look-alike: @ and $
// anywhere, and a digit between two letters (passw0rd, adm1n).
func unleet(s string) string {
	rs := []rune(s)
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = r
		switch r {
		case '@':
			out[i] = 'a'
		case '$':
			out[i] = 's'
		}
	}
	isLetter := func(i int) bool { return i >= 0 && i < len(out) && unicode.IsLetter(out[i]) }
	swaps := map[rune]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't'}
	for i, r := range out {
		if to, ok := swaps[r]; ok && isLetter(i-1) && isLetter(i+1) {
			out[i] = to
		}
	}
	return string(out)
}
