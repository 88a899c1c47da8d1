package zhagen

import "strings"

// usccChars is the character set of the unified social credit code
// (GB 32100-2015): digits and upper-case letters except I, O, Z, S and V.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1–17 (3^(i-1) mod 31).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar computes the 18th character for the first 17 characters of
// a unified social credit code. It reports false when body is not 17
// characters of the code's character set.
func USCCCheckChar(body string) (byte, bool) {
	if len(body) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, body[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	c := (31 - sum%31) % 31
	return usccChars[c], true
}

// ValidateUSCC checks a unified social credit code: 18 characters, a valid
// registration authority (1–9, A–G, Y), a six-digit division code, and the
// check character per GB 32100-2015. It returns a Chinese message or "".
func ValidateUSCC(code string) string {
	if code == "" {
		return "请填写统一社会信用代码"
	}
	if len(code) != 18 {
		return "统一社会信用代码应为18位"
	}
	if !strings.ContainsRune("123456789ABCDEFGY", rune(code[0])) {
		return "统一社会信用代码第1位（登记管理部门代码）无效"
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return "统一社会信用代码第3–8位应为行政区划代码（数字）"
		}
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(usccChars, code[i]) < 0 {
			return "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）"
		}
	}
	want, _ := USCCCheckChar(code[:17])
	if code[17] != want {
		return "统一社会信用代码校验位不正确"
	}
	return ""
}

// NormalizeUSCC trims spaces and upper-cases a code as typed by a person.
func NormalizeUSCC(code string) string {
	return strings.ToUpper(strings.TrimSpace(code))
}
