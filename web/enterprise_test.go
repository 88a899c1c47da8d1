package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"zhagen"
)

func TestEnterpriseList(t *testing.T) {
	eachStore(t, testEnterpriseList)
}

func testEnterpriseList(t *testing.T, e *testEnv) {
	c := e.login("admin1")

	c.get("/enterprises").wantStatus(t, http.StatusOK).
		contains(t, e.entA.Name, e.entB.Name, e.entA.USCC, "共 2 条", `href="/enterprises/new"`, `id="ent-results"`)

	// Search by name and by USCC.
	c.get("/enterprises?q="+url.QueryEscape("甲芯")).contains(t, e.entA.Name).lacks(t, e.entB.Name)
	c.get("/enterprises?q="+e.entB.USCC[10:]).contains(t, e.entB.Name).lacks(t, e.entA.Name)
	// Filters.
	c.get("/enterprises?is_key=1").contains(t, e.entA.Name).lacks(t, e.entB.Name)
	c.get("/enterprises?is_key=0").contains(t, e.entB.Name).lacks(t, e.entA.Name)
	c.get("/enterprises?park="+url.QueryEscape("创新园")).contains(t, e.entB.Name).lacks(t, e.entA.Name)
	c.get("/enterprises?status=closed").lacks(t, e.entA.Name, e.entB.Name).contains(t, "没有符合条件的企业")

	// Sorting both ways; the header links toggle the direction.
	asc := c.get("/enterprises?sort=name").wantStatus(t, http.StatusOK)
	desc := c.get("/enterprises?sort=-name").wantStatus(t, http.StatusOK)
	if order(asc.body, e.entA.Name, e.entB.Name) == order(desc.body, e.entA.Name, e.entB.Name) {
		t.Error("sort=name and sort=-name give the same order")
	}
	asc.contains(t, `href="/enterprises?sort=-name"`, `aria-sort="ascending"`)
	// An unknown sort key is ignored, not passed on.
	c.get("/enterprises?sort=password").wantStatus(t, http.StatusOK)

	// htmx swaps only the results.
	c.hdr.Set("HX-Request", "true")
	c.hdr.Set("HX-Target", "ent-results")
	part := c.get("/enterprises?q="+url.QueryEscape("乙光")).wantStatus(t, http.StatusOK)
	part.contains(t, e.entB.Name, "<table").lacks(t, "<html", e.entA.Name, `class="sidebar"`)
	// A history restore needs the whole page.
	c.hdr.Set("HX-History-Restore-Request", "true")
	c.get("/enterprises").contains(t, "<html")
}

// order reports whether a appears before b in s.
func order(s, a, b string) bool { return strings.Index(s, a) < strings.Index(s, b) }

func TestEnterprisePagination(t *testing.T) {
	eachStore(t, testEnterprisePagination)
}

func testEnterprisePagination(t *testing.T, e *testEnv) {
	for i := 0; i < 30; i++ {
		ent := &zhagen.Enterprise{Name: fmt.Sprintf("分页测试企业%02d", i), USCC: validUSCC(t, fmt.Sprintf("10%05d", i)), Industry: e.indName}
		if err := e.ents.CreateEnterprise(e.sys, ent); err != nil {
			t.Fatal(err)
		}
	}
	c := e.login("disp1")
	p1 := c.get("/enterprises?q="+url.QueryEscape("分页测试")+"&sort=name").wantStatus(t, http.StatusOK)
	p1.contains(t, "第 1–25 条，共 30 条", "分页测试企业00", "分页测试企业24", `rel="next"`).lacks(t, "分页测试企业25")
	p2 := c.get("/enterprises?q="+url.QueryEscape("分页测试")+"&sort=name&page=2").wantStatus(t, http.StatusOK)
	p2.contains(t, "第 26–30 条，共 30 条", "分页测试企业29").lacks(t, "分页测试企业24")
}

func TestEnterpriseCreateAndShow(t *testing.T) {
	eachStore(t, testEnterpriseCreateAndShow)
}

func testEnterpriseCreateAndShow(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	c.get("/enterprises/new").wantStatus(t, http.StatusOK).contains(t, `name="uscc"`, `<option value="`+e.indName+`"`, `<datalist id="parks">`)

	uscc := validUSCC(t, "2000001")
	form := url.Values{
		"name": {"福州丙新材料有限公司"}, "uscc": {uscc}, "industry": {e.indName}, "is_key": {"1"},
		"park": {"南屿片区"}, "address": {"福州高新区创业路1号"}, "legal_rep": {"王五"}, "status": {"preparing"},
		"contact_name": {"赵六", "", ""}, "contact_title": {"厂长", "", ""}, "contact_phone": {"0591-87654321", "", ""},
	}
	res := c.post("/enterprises", form).wantStatus(t, http.StatusSeeOther)
	loc := res.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/enterprises/"), 10, 64)
	if err != nil {
		t.Fatalf("Location %q", loc)
	}
	got, err := e.ents.FindEnterpriseByID(e.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.USCC != uscc || !got.IsKey || got.Status != zhagen.EntPreparing || len(got.Contacts) != 1 || got.Contacts[0].Phone != "0591-87654321" {
		t.Errorf("stored %+v", got)
	}
	c.get(loc).wantStatus(t, http.StatusOK).
		contains(t, "企业已创建", "福州丙新材料有限公司", uscc, "赵六", "厂长", "筹建", "重点", "版本", `action="/enterprises/`+strconv.FormatInt(id, 10)+`/archive"`)
	// The flash shows once.
	c.get(loc).lacks(t, "企业已创建")

	// A duplicate USCC is a field error on uscc.
	form.Set("name", "另一家公司")
	c.post("/enterprises", form).wantStatus(t, http.StatusConflict).contains(t, `class="ferr"`, attr("value", "另一家公司"))
}

func TestEnterpriseBadUSCCKeepsInput(t *testing.T) {
	eachStore(t, testEnterpriseBadUSCCKeepsInput)
}

func testEnterpriseBadUSCCKeepsInput(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	typed := url.Values{
		"name": {"福州丁软件有限公司"}, "uscc": {"91350100ma0000001x"}, "industry": {e.indName},
		"park": {"自贸片区"}, "address": {"福州市<b>测试</b>路"}, "legal_rep": {"钱七"}, "status": {"operating"},
		"contact_name": {"孙八", "", ""}, "contact_title": {"副总", "", ""}, "contact_phone": {"13912345678", "", ""},
	}
	res := c.post("/enterprises", typed).wantStatus(t, http.StatusUnprocessableEntity)
	want := zhagen.ValidateUSCC(zhagen.NormalizeUSCC(typed.Get("uscc")))
	if want == "" {
		t.Fatal("test USCC is valid")
	}
	res.contains(t,
		`<p class="ferr" role="alert">`+want+`</p>`,
		"表单有 1 处需要修改",
		attr("value", "福州丁软件有限公司"),
		attr("value", "91350100ma0000001x"), // as typed, not normalised
		attr("value", "自贸片区"),
		attr("value", "福州市<b>测试</b>路"),
		attr("value", "孙八"), attr("value", "副总"), attr("value", "13912345678"),
	).lacks(t, "<b>测试</b>")
	// The error sits next to the USCC field.
	i, j := strings.Index(res.body, `name="uscc"`), strings.Index(res.body, want)
	k := strings.Index(res.body, `name="industry"`)
	if i < 0 || j < i || j > k {
		t.Error("USCC error is not next to the USCC field")
	}
	// Nothing was stored.
	if _, n, _ := e.ents.FindEnterprises(e.sys, zhagen.EnterpriseFilter{Query: "福州丁软件"}); n != 0 {
		t.Errorf("stored %d enterprises", n)
	}
}

func TestEnterpriseEditConflict(t *testing.T) {
	eachStore(t, testEnterpriseEditConflict)
}

func testEnterpriseEditConflict(t *testing.T, e *testEnv) {
	c := e.login("admin1")
	path := fmt.Sprintf("/enterprises/%d", e.entA.ID)
	c.get(path+"/edit").wantStatus(t, http.StatusOK).contains(t, attr("value", e.entA.Name), `name="version" value="1"`)

	// Someone else changes the park meanwhile.
	park := "自贸片区"
	if _, err := e.ents.UpdateEnterprise(e.sys, e.entA.ID, zhagen.EnterpriseUpdate{Version: e.entA.Version, Park: &park}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{
		"version": {strconv.FormatInt(e.entA.Version, 10)}, "name": {"福州甲芯微电子股份有限公司"}, "uscc": {e.entA.USCC},
		"industry": {e.indName}, "is_key": {"1"}, "park": {"南屿片区"}, "status": {"operating"},
		"contact_name": {"林工"}, "contact_title": {"总经理"}, "contact_phone": {"13800000001"},
	}
	res := c.post(path, form).wantStatus(t, http.StatusConflict)
	res.contains(t, "已被他人修改", "当前值", "自贸片区", attr("value", "福州甲芯微电子股份有限公司"), `name="version" value="2"`)

	// Saving again with the current version is a conscious overwrite.
	form.Set("version", "2")
	c.post(path, form).wantStatus(t, http.StatusSeeOther)
	got, _ := e.ents.FindEnterpriseByID(e.sys, e.entA.ID)
	if got.Name != "福州甲芯微电子股份有限公司" || got.Park != "南屿片区" || got.Version != 3 {
		t.Errorf("after overwrite: %+v", got)
	}

	// Archive hides it from the default list; restore brings it back.
	c.post(path+"/archive", url.Values{"version": {"3"}}).wantStatus(t, http.StatusSeeOther)
	c.get("/enterprises").contains(t, "企业已归档").lacks(t, "福州甲芯微电子股份有限公司")
	c.get("/enterprises?archived=1").contains(t, "福州甲芯微电子股份有限公司", "已归档")
	c.post(path+"/archive", url.Values{"version": {"4"}, "archived": {"0"}}).wantStatus(t, http.StatusSeeOther)
	c.get("/enterprises").contains(t, "福州甲芯微电子股份有限公司")
}

func TestEnterpriseForbiddenForReaders(t *testing.T) {
	eachStore(t, testEnterpriseForbiddenForReaders)
}

func testEnterpriseForbiddenForReaders(t *testing.T, e *testEnv) {
	c := e.login("cadre1")
	list := c.get("/enterprises").wantStatus(t, http.StatusOK).contains(t, e.entA.Name, e.entB.Name)
	list.lacks(t, `href="/enterprises/new"`, `/edit"`, `href="/logs/ops"`, `href="/users"`)
	c.get(fmt.Sprintf("/enterprises/%d", e.entA.ID)).wantStatus(t, http.StatusOK).lacks(t, "/archive")

	c.get("/enterprises/new").wantStatus(t, http.StatusForbidden).contains(t, "无权访问")
	c.get(fmt.Sprintf("/enterprises/%d/edit", e.entA.ID)).wantStatus(t, http.StatusForbidden)
	c.post("/enterprises", url.Values{"name": {"x"}}).wantStatus(t, http.StatusForbidden)
	c.post(fmt.Sprintf("/enterprises/%d/archive", e.entA.ID), url.Values{"version": {"1"}}).wantStatus(t, http.StatusForbidden)
	c.get("/logs/ops").wantStatus(t, http.StatusForbidden)
	c.get("/industries").wantStatus(t, http.StatusForbidden)
	c.get("/users/new").wantStatus(t, http.StatusForbidden)

	// A graduate reaches no enterprise at all.
	g := e.login("grad1")
	g.get("/enterprises").wantStatus(t, http.StatusForbidden)
	g.get("/").wantStatus(t, http.StatusOK).lacks(t, `href="/enterprises"`)
	g.get("/no/such/page").wantStatus(t, http.StatusNotFound).contains(t, "页面不存在")
}

func TestEnterpriseUserSeesOnlyOwn(t *testing.T) {
	eachStore(t, testEnterpriseUserSeesOnlyOwn)
}

func testEnterpriseUserSeesOnlyOwn(t *testing.T, e *testEnv) {
	c := e.login("ent1")
	c.get("/").wantStatus(t, http.StatusOK).contains(t, e.entA.Name).lacks(t, e.entB.Name)
	c.get("/enterprises").wantStatus(t, http.StatusOK).
		contains(t, e.entA.Name, "本企业", "共 1 条").lacks(t, e.entB.Name, e.entB.USCC, `href="/enterprises/new"`)
	bLink := fmt.Sprintf(`href="/enterprises/%d"`, e.entB.ID)
	c.get("/enterprises?q="+url.QueryEscape(e.entB.Name)).contains(t, "共 0 条").lacks(t, bLink)
	c.get("/enterprises?q="+e.entB.USCC).contains(t, "共 0 条").lacks(t, bLink)
	c.get(fmt.Sprintf("/enterprises/%d", e.entA.ID)).wantStatus(t, http.StatusOK).contains(t, e.entA.USCC, "林工")
	c.get(fmt.Sprintf("/enterprises/%d", e.entB.ID)).wantStatus(t, http.StatusNotFound).lacks(t, e.entB.Name)
	c.get(fmt.Sprintf("/enterprises/%d/edit", e.entB.ID)).wantStatus(t, http.StatusForbidden).lacks(t, e.entB.Name)
	c.post(fmt.Sprintf("/enterprises/%d", e.entB.ID), url.Values{"version": {"1"}, "name": {"x"}}).wantStatus(t, http.StatusForbidden)
	c.get("/users").wantStatus(t, http.StatusForbidden)
	c.get("/departments").wantStatus(t, http.StatusForbidden)

	c.hdr.Set("HX-Request", "true")
	c.hdr.Set("HX-Target", "ent-results")
	c.get("/enterprises").wantStatus(t, http.StatusOK).contains(t, e.entA.Name).lacks(t, e.entB.Name)
}
