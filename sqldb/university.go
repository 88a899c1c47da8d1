package sqldb

import (
	"context"

	"zhagen"
)

// FindUniversities lists the universities with their contacts
// (government roles).
func (s *TalentService) FindUniversities(ctx context.Context) ([]*zhagen.University, error) {
	if _, err := authorizeKind(ctx, zhagen.PermUniversityView); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT d.id, d.name, (SELECT COUNT(*) FROM graduates g WHERE g.university = d.name) FROM departments d WHERE d.kind = ? AND d.archived = FALSE ORDER BY d.sort, d.id`, string(zhagen.DeptUniversity))
	if err != nil {
		return nil, err
	}
	out := []*zhagen.University{}
	byID := map[int64]*zhagen.University{}
	for rows.Next() {
		u := &zhagen.University{Contacts: []*zhagen.UniversityContact{}}
		if err := rows.Scan(&u.ID, &u.Name, &u.Graduates); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
		byID[u.ID] = u
	}
	rows.Close()
	contacts, err := s.contacts(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range contacts {
		if u := byID[c.UniversityID]; u != nil {
			u.Contacts = append(u.Contacts, c)
		}
	}
	return out, nil
}

func (s *TalentService) contacts(ctx context.Context, deptID int64) ([]*zhagen.UniversityContact, error) {
	q, args := `SELECT id, dept_id, kind, name, title, phone, email, created_at FROM university_contacts`, []any{}
	if deptID != 0 {
		q += ` WHERE dept_id = ?`
		args = append(args, deptID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY dept_id, kind, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*zhagen.UniversityContact{}
	for rows.Next() {
		c := &zhagen.UniversityContact{}
		if err := rows.Scan(&c.ID, &c.UniversityID, &c.Kind, &c.Name, &c.Title, &c.Phone, &c.Email, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindUniversityByID returns a university with contacts and outreach.
func (s *TalentService) FindUniversityByID(ctx context.Context, id int64) (*zhagen.University, error) {
	if _, err := authorizeKind(ctx, zhagen.PermUniversityView); err != nil {
		return nil, err
	}
	u := &zhagen.University{}
	err := s.db.queryRow(ctx, `SELECT d.id, d.name, (SELECT COUNT(*) FROM graduates g WHERE g.university = d.name) FROM departments d WHERE d.id = ? AND d.kind = ?`, id, string(zhagen.DeptUniversity)).Scan(&u.ID, &u.Name, &u.Graduates)
	if err != nil {
		return nil, notFound(err, "高校")
	}
	if u.Contacts, err = s.contacts(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, dept_id, date, kind, summary, by_name, created_at FROM university_outreach WHERE dept_id = ? ORDER BY date DESC, id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	u.Outreach = []*zhagen.Outreach{}
	for rows.Next() {
		o := &zhagen.Outreach{}
		if err := rows.Scan(&o.ID, &o.UniversityID, &o.Date, &o.Kind, &o.Summary, &o.ByName, &o.CreatedAt); err != nil {
			return nil, err
		}
		u.Outreach = append(u.Outreach, o)
	}
	return u, rows.Err()
}

func (tx *Tx) checkUniversity(ctx context.Context, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM departments WHERE id = ? AND kind = ?`, id, string(zhagen.DeptUniversity)).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "高校不存在")
	}
	return nil
}

// AddUniversityContact adds a career-office or student-union contact.
func (s *TalentService) AddUniversityContact(ctx context.Context, c *zhagen.UniversityContact) error {
	if _, err := authorizeKind(ctx, zhagen.PermUniversityContact); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkUniversity(ctx, c.UniversityID); err != nil {
		return err
	}
	c.CreatedAt = tx.now
	if c.ID, err = tx.insert(ctx, `INSERT INTO university_contacts (dept_id, kind, name, title, phone, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.UniversityID, string(c.Kind), c.Name, c.Title, c.Phone, c.Email, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "高校联系人", c.ID, c.Kind.Label()+" "+c.Name); err != nil {
		return err
	}
	return tx.Commit()
}

// DeleteUniversityContact removes a contact.
func (s *TalentService) DeleteUniversityContact(ctx context.Context, universityID, id int64) error {
	if _, err := authorizeKind(ctx, zhagen.PermUniversityContact); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx, `DELETE FROM university_contacts WHERE id = ? AND dept_id = ?`, id, universityID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return zhagen.Errorf(zhagen.ENOTFOUND, "联系人不存在")
	}
	if err := tx.writeOpLog(ctx, "删除", "高校联系人", id, ""); err != nil {
		return err
	}
	return tx.Commit()
}

// AddOutreach records a contact made with a university.
func (s *TalentService) AddOutreach(ctx context.Context, o *zhagen.Outreach) error {
	a, err := authorizeKind(ctx, zhagen.PermUniversityOutreach)
	if err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.checkUniversity(ctx, o.UniversityID); err != nil {
		return err
	}
	o.ByName, o.CreatedAt = a.Name, tx.now
	if o.ID, err = tx.insert(ctx, `INSERT INTO university_outreach (dept_id, date, kind, summary, by_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		o.UniversityID, o.Date, o.Kind, o.Summary, o.ByName, tx.now); err != nil {
		return err
	}
	if err := tx.writeOpLog(ctx, "新建", "高校对接", o.ID, o.Date+" "+o.Kind); err != nil {
		return err
	}
	return tx.Commit()
}
