package zhagen

// Outside channel permissions: the administrators' configuration of the
// channels notices leave the building by, the list of their deliveries
// (with the dead letters) and each user's own choice of personal
// channels.
const (
	PermChannelView   Perm = "channels.view"  // list outside channels (secrets masked)
	PermChannelEdit   Perm = "channels.edit"  // create and change outside channels
	PermChannelTest   Perm = "channels.test"  // send a test message over a channel
	PermDeliveryView  Perm = "delivery.view"  // list deliveries over outside channels and the dead letters
	PermDeliveryRetry Perm = "delivery.retry" // put a dead delivery back in the queue
	PermPushPrefs     Perm = "noticepref.own" // choose one's own personal channels (Facts.UserID: the user)
)

var channelRules = map[Perm]permRule{
	PermChannelView:   {deny: "仅管理员可以查看消息推送渠道", grants: []Grant{{Roles: adminRole}}},
	PermChannelEdit:   {deny: "仅管理员可以配置消息推送渠道", grants: []Grant{{Roles: adminRole}}},
	PermChannelTest:   {deny: "仅管理员可以发送测试消息", grants: []Grant{{Roles: adminRole}}},
	PermDeliveryView:  {deny: "仅管理员可以查看推送记录", grants: []Grant{{Roles: adminRole}}},
	PermDeliveryRetry: {deny: "仅管理员可以重试失败的推送", grants: []Grant{{Roles: adminRole}}},
	PermPushPrefs:     {deny: "只能设置自己的消息接收方式", grants: []Grant{ownPerson}},
}
