package zhagen

var linkageRules = map[Perm]permRule{}
