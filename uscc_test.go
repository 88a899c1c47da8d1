package zhagen

import (
	"strings"
	"testing"
)

// Codes published in the national enterprise credit registry.
var realUSCCs = []string{
	"91440300708461136T", // 深圳市腾讯计算机系统有限公司
	"91330100716105852F", // 阿里巴巴（中国）有限公司
	"914403001922038216", // 华为技术有限公司
	"91110108551385082Q", // 小米科技有限责任公司
}

func TestUSCCRealCodesPass(t *testing.T) {
	for _, c := range realUSCCs {
		if msg := ValidateUSCC(c); msg != "" {
			t.Errorf("%s: %s", c, msg)
		}
	}
}

// TestUSCCEverySingleChangeFails changes each position of each real code
// to every other character of the alphabet and to characters outside it.
func TestUSCCEverySingleChangeFails(t *testing.T) {
	alphabet := usccChars + "IOZSVaz-*中"
	for _, code := range realUSCCs {
		for i := 0; i < len(code); i++ {
			for _, r := range alphabet {
				if byte(r) == code[i] && r < 128 {
					continue
				}
				changed := code[:i] + string(r) + code[i+1:]
				if ValidateUSCC(changed) == "" {
					t.Errorf("%s with position %d changed to %q passed", code, i+1, r)
				}
			}
		}
	}
}

func TestUSCCMessages(t *testing.T) {
	cases := map[string]string{
		"":                   "请填写",
		"91440300708461136":  "18位",
		"H1440300708461136T": "第1位",
		"914403A0708461136T": "行政区划",
		"91440300708461136O": "不允许的字符",
		"91440300708461136X": "校验位",
		"91350100MA2XN9K57E": "校验位",
	}
	for code, want := range cases {
		if got := ValidateUSCC(code); !strings.Contains(got, want) {
			t.Errorf("ValidateUSCC(%q) = %q, want it to mention %q", code, got, want)
		}
	}
}

func TestUSCCCheckCharRoundTrip(t *testing.T) {
	for _, code := range realUSCCs {
		c, ok := USCCCheckChar(code[:17])
		if !ok || c != code[17] {
			t.Errorf("USCCCheckChar(%s) = %c, want %c", code[:17], c, code[17])
		}
	}
	if _, ok := USCCCheckChar("123"); ok {
		t.Error("short body accepted")
	}
}

// FuzzValidateUSCC checks that the validator never panics and that any
// code it accepts is 18 characters of the alphabet with a matching check
// character.
func FuzzValidateUSCC(f *testing.F) {
	for _, c := range realUSCCs {
		f.Add(c)
	}
	f.Add("91350100MA2XN9K57E")
	f.Add("")
	f.Fuzz(func(t *testing.T, code string) {
		if ValidateUSCC(code) != "" {
			return
		}
		want, ok := USCCCheckChar(code[:17])
		if len(code) != 18 || !ok || code[17] != want {
			t.Fatalf("accepted invalid code %q", code)
		}
	})
}

// TestUSCCRegionWithNines: 0 and 9 are digits of the region code.
func TestUSCCRegionWithNines(t *testing.T) {
	for _, body := range []string{"91909999MA2Y4AB3C", "91000000MA2Y4AB3C"} {
		c, ok := USCCCheckChar(body)
		if !ok {
			t.Fatalf("%s: no check character", body)
		}
		if msg := ValidateUSCC(body + string(c)); msg != "" {
			t.Errorf("%s%c: %s", body, c, msg)
		}
	}
}
