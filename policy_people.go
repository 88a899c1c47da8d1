package zhagen

var peopleRules = map[Perm]permRule{}
