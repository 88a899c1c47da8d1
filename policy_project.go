package zhagen

var projectRules = map[Perm]permRule{}
