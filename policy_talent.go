package zhagen

var talentRules = map[Perm]permRule{}
