package zhagen

import "testing"

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
