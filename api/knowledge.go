package api

import (
	"net/http"
	"strings"

	"zhagen"
)

// knowledgeRoutes registers the text services over the demands: the
// dispatch suggestion and the similar demands.
func (h *Handler) knowledgeRoutes() {
	if h.cfg.Knowledge == nil {
		return
	}
	h.handle("POST", "/api/v1/demands/suggest", h.suggestDispatch)
	h.handle("GET", "/api/v1/demands/similar", h.similarDemands)
}

type suggestInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

func (h *Handler) suggestDispatch(w http.ResponseWriter, r *http.Request) error {
	var in suggestInput
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := h.cfg.Knowledge.Suggest(r.Context(), strings.TrimSpace(in.Title), strings.TrimSpace(in.Description))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) similarDemands(w http.ResponseWriter, r *http.Request) error {
	text := strings.TrimSpace(r.URL.Query().Get("text"))
	if text == "" {
		return &zhagen.Error{Code: zhagen.EBADREQUEST, Field: "text", Message: "请填写 text（要查找相似诉求的文字）"}
	}
	s, err := h.cfg.Knowledge.Similar(r.Context(), text, 0)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}
