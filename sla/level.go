package sla

// Level is the warning level of a time limit (see [Calendar.LevelAt]).
// Its value is the name stored in databases and written in URLs and JSON;
// [Level.Label] is the name users read. The domain's SLA level is this
// type, so the names and labels are defined here once.
type Level string

// Warning levels.
const (
	OK     Level = "ok"     // less than 75 % of the working time used
	Yellow Level = "yellow" // at least 75 % used
	Red    Level = "red"    // all used: the due time has come
)

// String returns the level's name: "ok", "yellow" or "red".
func (l Level) String() string { return string(l) }

// Label returns the level in Chinese for users, or "" if l is not one of
// the levels, so that Label also tells a valid level from input.
func (l Level) Label() string {
	switch l {
	case OK:
		return "正常"
	case Yellow:
		return "黄色预警"
	case Red:
		return "红色预警（已超期）"
	}
	return ""
}
