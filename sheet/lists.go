package sheet

import (
	"strings"

	"zhagen"
)

var lightLabels = map[string]string{"green": "绿灯", "yellow": "黄灯", "red": "红灯"}

// Demands is the demand list (诉求清单).
var Demands = Table[*zhagen.Demand]{
	Name: "诉求清单",
	Columns: []Column{
		{Header: "编号", Width: 8, Kind: Number}, {Header: "标题", Width: 36}, {Header: "企业", Width: 30},
		{Header: "诉求类别", Width: 14}, {Header: "状态", Width: 10}, {Header: "亮灯", Width: 8}, {Header: "紧急程度", Width: 10},
		{Header: "牵头部门", Width: 18}, {Header: "协办部门", Width: 24}, {Header: "渠道", Width: 10}, {Header: "提交人", Width: 10},
		{Header: "提交时间", Width: 17, Kind: DateTime}, {Header: "响应时限", Width: 17, Kind: DateTime},
		{Header: "办结时限", Width: 17, Kind: DateTime}, {Header: "办结时间", Width: 17, Kind: DateTime},
		{Header: "评价", Width: 10}, {Header: "退回次数", Width: 9, Kind: Number},
	},
	Row: func(d *zhagen.Demand) []any {
		return []any{d.ID, d.Title, d.EnterpriseName, d.CategoryName, d.Status.Label(), lightLabels[d.Light.Tone], d.Priority.Label(),
			d.LeadDeptName, strings.Join(d.CoopDeptNames, "、"), d.Channel.Label(), d.SubmitterName,
			d.CreatedAt, d.ResponseDue, d.ResolutionDue, d.ResolvedAt, d.Rating.Label(), d.ReturnCount}
	},
}

// Enterprises is the enterprise list (企业名录); its first columns are
// those of the import template, so an export can be edited and imported.
var Enterprises = Table[*zhagen.Enterprise]{
	Name: "企业名录",
	Columns: []Column{
		{Header: "企业名称", Width: 32}, {Header: "统一社会信用代码", Width: 22}, {Header: "所属行业", Width: 14},
		{Header: "所在园区", Width: 14}, {Header: "地址", Width: 36}, {Header: "法定代表人", Width: 12},
		{Header: "重点企业", Width: 9}, {Header: "企业状态", Width: 9}, {Header: "联系人", Width: 14}, {Header: "联系电话", Width: 16},
		{Header: "编号", Width: 8, Kind: Number}, {Header: "录入时间", Width: 17, Kind: DateTime},
	},
	Row: func(e *zhagen.Enterprise) []any {
		var name, phone string
		if len(e.Contacts) > 0 {
			name, phone = e.Contacts[0].Name, e.Contacts[0].Phone
		}
		return []any{e.Name, e.USCC, e.Industry, e.Park, e.Address, e.LegalRep, e.IsKey, e.Status.Label(), name, phone, e.ID, e.CreatedAt}
	},
}
