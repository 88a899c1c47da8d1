package zhagen

import (
	"strings"
	"testing"
)

// TestCommonPasswordsRefused: passwords that pass the complexity rule but
// are on the list of common passwords, or are a common word or name with
// digits (a year among them), are refused.
func TestCommonPasswordsRefused(t *testing.T) {
	weak := []string{
		"Woaini@1314", "Woaini1314!", "Qq123456!", "QQ123456.", "A123456!", "a123456A", "Aa123456",
		"Abc@1234", "Abc123456!", "Admin@123", "Admin888!", "P@ssw0rd", "Password1!", "Passw0rd!",
		"1qaz@WSX", "1qaz2wsx!Q", "Qwer1234!", "Qwe123!@#", "Asdf1234!", "Zxcv1234!",
		"520Woaini!", "5201314Aa", "Iloveyou1!", "Wang123456!", "Zhang@1988", "Li@123456",
		"Welcome1!", "Changeme1!", "Fuzhou@2026", "China@2026", "abc-def-123", "abcDEF123",
	}
	for _, pw := range weak {
		if ValidatePassword(pw) == "" {
			t.Errorf("ValidatePassword(%q) accepted a common password", pw)
		}
	}
	strong := []string{"Zg-Demo#4821", "Passw0rd!web", "Kq7!tmR2vz", "中文密码Ab12", "Hx9#Lp2$Qw", "Tea4Two&Cups"}
	for _, pw := range strong {
		if msg := ValidatePassword(pw); msg != "" {
			t.Errorf("ValidatePassword(%q) = %q, want accepted", pw, msg)
		}
	}
}

// TestUnleet: @ and $ become letters anywhere; a look-alike digit only
// between two letters, not at either end of the password nor next to a
// digit or symbol.
func TestUnleet(t *testing.T) {
	cases := map[string]string{
		"p4ss":     "pass",
		"adm1n":    "admin",
		"p@$$w0rd": "password",
		"1qaz":     "1qaz",
		"wang1":    "wang1",
		"ab12cd":   "ab12cd",
		"a-1b":     "a-1b",
		"x0":       "x0",
		"0x":       "0x",
	}
	for in, want := range cases {
		if got := unleet(in); got != want {
			t.Errorf("unleet(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAlnumAndLetters: the symbols go, the letters (Chinese ones too)
// and, for alnum, the digits stay.
func TestAlnumAndLetters(t *testing.T) {
	if got := alnum("Ab-c 1!中"); got != "Abc1中" {
		t.Errorf("alnum = %q", got)
	}
	if got := letters("Ab-c 1!中"); got != "Abc中" {
		t.Errorf("letters = %q", got)
	}
	// Only the symbols told apart a common password from this one.
	if !CommonPassword("Qwe-123-!@#") || !CommonPassword("Abc.1234") {
		t.Error("a common password with other symbols was not recognised")
	}
}

// TestPasswordLengthAndClasses: 8 to 128 bytes, three of the four kinds
// of character.
func TestPasswordLengthAndClasses(t *testing.T) {
	long := "Kq7!tmR2vz" + strings.Repeat("x", 118)
	if msg := ValidatePassword(long); msg != "" || len(long) != 128 {
		t.Errorf("128 bytes: %q", msg)
	}
	if msg := ValidatePassword(long + "y"); msg != "密码不能超过128位" {
		t.Errorf("129 bytes: %q", msg)
	}
	if msg := ValidatePassword("Kq7tmR2v"); msg != "" {
		t.Errorf("three kinds: %q", msg)
	}
	if msg := ValidatePassword("kq7tmr2v"); msg != "密码须包含大写字母、小写字母、数字、符号中的至少三类" {
		t.Errorf("two kinds: %q", msg)
	}
}
