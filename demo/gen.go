package demo

import (
	"fmt"
	"hash/fnv"
	"strings"

	"zhagen"
)

// seed fixes the invented names, phones, parks and addresses; changing it
// changes the demo people but not the logins, department names or USCCs
// the loader uses to recognise existing records.
const seed = 20220923

// rng is a small deterministic generator (SplitMix64), so the demo data
// does not depend on the standard library's choice of algorithms.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// pick returns k distinct elements of from in a shuffled order.
func (r *rng) pick(from []string, k int) []string {
	s := append([]string(nil), from...)
	if k > len(s) {
		k = len(s)
	}
	for i := 0; i < k; i++ {
		j := i + r.intn(len(s)-i)
		s[i], s[j] = s[j], s[i]
	}
	return s[:k]
}

// namer invents Chinese personal names that are unique within one plan.
type namer struct {
	r    *rng
	used map[string]bool
}

func newNamer(r *rng) *namer {
	n := &namer{r: r, used: map[string]bool{}}
	for _, s := range storyNames {
		n.used[s] = true
	}
	return n
}

// name returns an unused name: a surname and one or two given characters.
func (n *namer) name() string {
	for {
		pool := maleName
		if n.r.intn(5) < 2 {
			pool = femaName
		}
		var b strings.Builder
		b.WriteRune(surnames[n.r.intn(len(surnames))])
		first := pool[n.r.intn(len(pool))]
		b.WriteRune(first)
		if n.r.intn(5) > 0 {
			if second := pool[n.r.intn(len(pool))]; second != first {
				b.WriteRune(second)
			}
		}
		if s := b.String(); !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

// reserve marks a fixed name as taken.
func (n *namer) reserve(name string) { n.used[name] = true }

// phoner invents phone numbers that are unique within one plan.
type phoner struct {
	r    *rng
	used map[string]bool
}

// mobile returns an unused 11-digit mainland mobile number.
func (p *phoner) mobile() string {
	for {
		s := fmt.Sprintf("%s%08d", mobilePrefixes[p.r.intn(len(mobilePrefixes))], p.r.intn(100000000))
		if !p.used[s] {
			p.used[s] = true
			return s
		}
	}
}

// landline returns an unused Fuzhou fixed-line number such as 0591-87654321.
func (p *phoner) landline() string {
	for {
		s := fmt.Sprintf("0591-%d%07d", 2+6*p.r.intn(2), p.r.intn(10000000))
		if !p.used[s] {
			p.used[s] = true
			return s
		}
	}
}

// usccAlphabet is the character set of a unified social credit code.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccFor derives a valid unified social credit code from a company name:
// "91" (enterprise registered by market regulation), the Fuzhou division
// code 350100, an organisation code "MA" plus seven characters taken from a
// hash of the name, and the GB 32100 check character. The same name always
// gets the same code unless it is in used, in which case the hash is salted.
func usccFor(name string, used map[string]bool) string {
	for salt := 0; ; salt++ {
		h := fnv.New64a()
		h.Write([]byte(name))
		if salt > 0 {
			fmt.Fprintf(h, "#%d", salt)
		}
		v := h.Sum64()
		var b strings.Builder
		b.WriteString("91350100MA")
		for i := 0; i < 7; i++ {
			b.WriteByte(usccAlphabet[v%31])
			v /= 31
		}
		body := b.String()
		check, ok := zhagen.USCCCheckChar(body)
		if !ok {
			panic("demo: bad USCC body " + body)
		}
		if code := body + string(check); !used[code] {
			used[code] = true
			return code
		}
	}
}

// person is a user the loader creates.
type person struct {
	Login      string
	Name       string
	Role       zhagen.Role
	Dept       string // department name, "" for none
	Enterprise string // enterprise name for enterprise users
	Rank       string
	Expertise  []string
	Phone      string
	Fixed      bool // one of the fixed demo logins
}

// Unit is the department or enterprise the person belongs to.
func (p *person) Unit() string {
	if p.Enterprise != "" {
		return p.Enterprise
	}
	return p.Dept
}

// plan is the whole demo data set, computed without any I/O.
type plan struct {
	Depts       []deptSpec
	Industries  []string
	Enterprises []*zhagen.Enterprise
	Cadres      []*person // the 73 linked cadres, `cadre` among them
	Accounts    []*person // the fixed demo logins in display order
}

// Fixed demo logins.
const (
	loginAdmin       = "admin"
	loginDispatcher  = "dispatcher"
	loginLeader      = "leader"
	loginStaff       = "staff"
	loginCadre       = "cadre"
	loginEnterprise  = "enterprise"
	loginEnterprise2 = "enterprise2"
	loginGraduate    = "graduate"
)

// cadreRanks are the ranks of a cadre quota, highest first.
var cadreRanks = []string{"正处级", "副处级", "正科级", "副科级"}

// newPlan computes the demo data from the tables and the fixed seed.
func newPlan() *plan {
	r := &rng{s: seed}
	names := newNamer(r)
	phones := &phoner{r: r, used: map[string]bool{}}
	p := &plan{Depts: deptTable, Industries: industryTable}

	// Enterprises.
	codes := map[string]bool{}
	contacts := map[string]zhagen.Contact{} // first contact per enterprise
	for _, s := range entTable {
		park := s.Park
		if park == "" {
			parks := industryParks[s.Industry]
			park = parks[r.intn(len(parks))]
		}
		legal := s.LegalRep
		if legal == "" {
			legal = names.name()
		} else {
			names.reserve(legal)
		}
		first := zhagen.Contact{Name: names.name(), Title: firstContactTitles[r.intn(len(firstContactTitles))], Phone: phones.mobile()}
		e := &zhagen.Enterprise{
			Name:     s.Name,
			USCC:     usccFor(s.Name, codes),
			Industry: s.Industry,
			IsKey:    s.Key,
			Park:     park,
			Address:  fmt.Sprintf(parkAddress[park], 1+r.intn(40)),
			LegalRep: legal,
			Contacts: []zhagen.Contact{first},
			Status:   s.Status,
		}
		if r.intn(3) > 0 {
			second := zhagen.Contact{Name: names.name(), Title: secondContactTitles[r.intn(len(secondContactTitles))]}
			if r.intn(2) == 0 {
				second.Phone = phones.landline()
			} else {
				second.Phone = phones.mobile()
			}
			e.Contacts = append(e.Contacts, second)
		}
		contacts[s.Name] = first
		p.Enterprises = append(p.Enterprises, e)
	}

	// Linked cadres.
	n := 0
	var cadre *person
	for _, q := range cadreTable {
		counts := []int{q.Zhengchu, q.Fuchu, q.Zhengke, q.Fuke}
		inds := q.Industries
		if inds == nil {
			inds = leadingIndustries
		}
		for i, rank := range cadreRanks {
			for j := 0; j < counts[i]; j++ {
				c := &person{Role: zhagen.RoleCadre, Dept: q.Dept, Rank: rank, Phone: phones.mobile()}
				if s := storyCadreFor(q.Dept, rank); j == 0 && s != nil {
					c.Name, c.Expertise = s.Name, s.Expertise
					names.reserve(s.Name)
				} else {
					c.Name = names.name()
					c.Expertise = append(r.pick(inds, 1+r.intn(2)), r.pick(q.Skills, 1+r.intn(2))...)
				}
				if cadre == nil && q.Dept == deptEconomy && rank == "正科级" {
					// The demo cadre serves the story's chip maker.
					c.Login, c.Fixed, cadre = loginCadre, true, c
					c.Expertise = []string{indIC, "用电", "企业服务"}
				} else {
					n++
					c.Login = fmt.Sprintf("cadre%02d", n)
				}
				p.Cadres = append(p.Cadres, c)
			}
		}
	}

	// The other fixed logins.
	ent := func(login, name string) *person {
		c := contacts[name]
		return &person{Login: login, Name: c.Name, Role: zhagen.RoleEnterprise, Enterprise: name, Phone: c.Phone, Fixed: true}
	}
	p.Accounts = []*person{
		{Login: loginAdmin, Name: "系统管理员", Role: zhagen.RoleAdmin, Dept: deptOffice, Phone: phones.mobile(), Fixed: true},
		{Login: loginDispatcher, Name: names.name(), Role: zhagen.RoleDispatcher, Dept: deptCommand, Rank: "正科级", Phone: phones.mobile(), Fixed: true},
		{Login: loginLeader, Name: names.name(), Role: zhagen.RoleLeader, Dept: deptRoot, Rank: "正处级", Phone: phones.mobile(), Fixed: true},
		{Login: loginStaff, Name: names.name(), Role: zhagen.RoleStaff, Dept: deptEconomy, Rank: "科员", Phone: phones.mobile(), Fixed: true},
		cadre,
		ent(loginEnterprise, entFushun),
		ent(loginEnterprise2, entXianzhilou),
		{Login: loginGraduate, Name: names.name(), Role: zhagen.RoleGraduate, Phone: phones.mobile(), Fixed: true},
	}
	return p
}

func storyCadreFor(dept, rank string) *storyCadre {
	for i := range storyCadres {
		if storyCadres[i].Dept == dept && storyCadres[i].Rank == rank {
			return &storyCadres[i]
		}
	}
	return nil
}

// Account describes one fixed demo login.
type Account struct {
	Login string
	Role  zhagen.Role
	Name  string
	Unit  string // department or enterprise
}

// Accounts returns the fixed demo logins that Load creates, in display
// order: admin, dispatcher, leader, staff, cadre, enterprise, enterprise2
// and graduate. They all share the password given to Load.
func Accounts() []Account {
	var out []Account
	for _, p := range newPlan().Accounts {
		out = append(out, Account{Login: p.Login, Role: p.Role, Name: p.Name, Unit: p.Unit()})
	}
	return out
}
