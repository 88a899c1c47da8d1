package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestIntakeChannelsPage: the administrator lists the Open311 intake
// channels and makes one publicly readable and private again, asked to
// confirm; nobody else sees the page or changes a channel.
func TestIntakeChannelsPage(t *testing.T) {
	eachStore(t, testIntakeChannelsPage)
}

func testIntakeChannelsPage(t *testing.T, e *testEnv) {
	ch, err := e.intake.CreateIntakeChannel(e.sys, "FixMyStreet 福州", "fms-key-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	admin := e.login("admin1")
	admin.get("/").contains(t, `href="/intake-channels"`)
	admin.get("/intake-channels").wantStatus(t, http.StatusOK).contains(t, "FixMyStreet 福州", "不公开", `data-confirm="确定将“FixMyStreet 福州”设为公开查询？`).lacks(t, "fms-key-0123456789")
	path := fmt.Sprintf("/intake-channels/%d/public", ch.ID)
	admin.post(path, url.Values{"public": {"1"}}).wantStatus(t, http.StatusSeeOther)
	admin.get("/intake-channels").contains(t, `<span class="tag tag-green">公开</span>`, "取消公开查询")
	for _, login := range []string{"disp1", "staff1", "ent1"} {
		c := e.login(login)
		c.get("/intake-channels").wantStatus(t, http.StatusForbidden)
		c.post(path, url.Values{"public": {"0"}}).wantStatus(t, http.StatusForbidden)
		c.get("/").lacks(t, `href="/intake-channels"`)
	}
	admin.post(path, url.Values{"public": {"0"}}).wantStatus(t, http.StatusSeeOther)
	chans, err := e.intake.FindIntakeChannels(e.sys)
	if err != nil || len(chans) != 1 || chans[0].Public {
		t.Fatalf("channels %+v %v", chans, err)
	}
}
