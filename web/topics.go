package web

import (
	"net/http"
	"strconv"

	"zhagen"
)

type topicRow struct {
	*zhagen.Topic
	CanAnswer bool
}

type topicListData struct {
	Rows   []topicRow
	Open   int64 // the topic whose answer form comes back with an error
	Answer string
	Error  string
}

// topicList is GET /topics: the topics (每月一题), with the answer form
// for the lead department.
func (h *Handler) topicList(w http.ResponseWriter, r *http.Request) {
	h.renderTopics(w, r, http.StatusOK, &topicListData{})
}

func (h *Handler) renderTopics(w http.ResponseWriter, r *http.Request, status int, d *topicListData) {
	a := actor(r)
	if !zhagen.CanAny(a, zhagen.PermTopicView) {
		h.forbidden(w, r, zhagen.PermTopicView)
		return
	}
	ts, err := h.cfg.Knowledge.FindTopics(ctx(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, t := range ts {
		d.Rows = append(d.Rows, topicRow{Topic: t, CanAnswer: t.Status == zhagen.TopicOpen && zhagen.Can(a, zhagen.PermTopicAnswer, zhagen.Facts{DeptID: t.LeadDeptID})})
	}
	h.render(w, r, status, "topic_list", &page{Title: h.tr(r, "nav.topics"), Nav: "topics", Data: d})
}

// topicAdopt is POST /topics: a common problem adopted as a topic.
func (h *Handler) topicAdopt(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	t := &zhagen.Topic{Title: f.Get("title"), Month: f.Get("month")}
	t.LeadDeptID, _ = strconv.ParseInt(f.Get("lead_dept_id"), 10, 64)
	for _, s := range f["demand_ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			t.DemandIDs = append(t.DemandIDs, id)
		}
	}
	if err := h.cfg.Knowledge.AdoptTopic(ctx(r), t); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirectFlash(w, r, "/topics", "tp.flash.adopted")
}

// topicAnswer is POST /topics/{id}/answer: the lead department's single
// answer, recorded on every demand of the topic.
func (h *Handler) topicAnswer(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	r.ParseForm()
	v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	answer := r.PostForm.Get("answer")
	_, err := h.cfg.Knowledge.AnswerTopic(ctx(r), id, v, answer)
	if err == nil {
		h.redirectFlash(w, r, "/topics", "tp.flash.answered")
		return
	}
	d := &topicListData{Open: id, Answer: answer}
	var fields map[string]string
	status, ok := formFailure(err, &fields, &d.Error)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if d.Error == "" {
		d.Error = fields["answer"]
	}
	h.renderTopics(w, r, status, d)
}
