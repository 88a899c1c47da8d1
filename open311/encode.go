package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"

	"zhagen"
)

// format is the representation a client asked for with the resource's
// suffix.
type format string

const (
	formatXML  format = "xml"
	formatJSON format = "json"
)

// nullString is a string that encodes as JSON null when empty; in XML it
// is an element with no text.
type nullString string

// MarshalJSON writes null for the empty string.
func (s nullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// nullNumber is a number kept as its decimal text: a JSON number, or null
// when empty; in XML the text itself.
type nullNumber string

// MarshalJSON writes the number, or null when empty.
func (n nullNumber) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return []byte(n), nil
}

func idNumber(id int64) nullNumber { return nullNumber(strconv.FormatInt(id, 10)) }

func floatNumber(f *float64) nullNumber {
	if f == nil {
		return ""
	}
	return nullNumber(strconv.FormatFloat(*f, 'f', -1, 64))
}

// datetime formats t per the specification: W3C date-time with the
// zone's offset (+08:00).
func datetime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zhagen.Shanghai).Format(time.RFC3339)
}

func optDatetime(t *time.Time) nullString {
	if t == nil {
		return ""
	}
	return nullString(datetime(*t))
}

// xmlList encodes items inside a root element, each item under its own
// XMLName; JSON clients get the bare array instead.
type xmlList[T any] struct {
	root  string
	items []T
}

// MarshalXML writes <root> and every item in it.
func (l xmlList[T]) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	start := xml.StartElement{Name: xml.Name{Local: l.root}}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, it := range l.items {
		if err := e.Encode(it); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// discovery is the service discovery document.
type discovery struct {
	XMLName    xml.Name   `xml:"discovery" json:"-"`
	Changeset  string     `xml:"changeset" json:"changeset"`
	Contact    string     `xml:"contact" json:"contact"`
	KeyService string     `xml:"key_service" json:"key_service"`
	Endpoints  []endpoint `xml:"endpoints>endpoint" json:"endpoints"`
}

type endpoint struct {
	Specification string   `xml:"specification" json:"specification"`
	URL           string   `xml:"url" json:"url"`
	Changeset     string   `xml:"changeset" json:"changeset"`
	Type          string   `xml:"type" json:"type"`
	Formats       []string `xml:"formats>format" json:"formats"`
}

// service is one entry of GET services.
type service struct {
	XMLName     xml.Name `xml:"service" json:"-"`
	ServiceCode string   `xml:"service_code" json:"service_code"`
	ServiceName string   `xml:"service_name" json:"service_name"`
	Description string   `xml:"description" json:"description"`
	Metadata    bool     `xml:"metadata" json:"metadata"`
	Type        string   `xml:"type" json:"type"`
	Keywords    string   `xml:"keywords" json:"keywords"`
	Group       string   `xml:"group" json:"group"`
}

// serviceDefinition is GET services/{code}.
type serviceDefinition struct {
	XMLName     xml.Name    `xml:"service_definition" json:"-"`
	ServiceCode string      `xml:"service_code" json:"service_code"`
	Attributes  []attribute `xml:"attributes>attribute" json:"attributes"`
}

type attribute struct {
	Variable            bool         `xml:"variable" json:"variable"`
	Code                string       `xml:"code" json:"code"`
	Datatype            string       `xml:"datatype" json:"datatype"`
	Required            bool         `xml:"required" json:"required"`
	DatatypeDescription nullString   `xml:"datatype_description" json:"datatype_description"`
	Order               int          `xml:"order" json:"order"`
	Description         string       `xml:"description" json:"description"`
	Values              []valueEntry `xml:"-" json:"values,omitempty"`
	XMLValues           *xmlValues   `xml:"values,omitempty" json:"-"` // the same, only for list types
}

type xmlValues struct {
	Values []valueEntry `xml:"value"`
}

type valueEntry struct {
	Key  string `xml:"key" json:"key"`
	Name string `xml:"name" json:"name"`
}

// created answers POST requests. Every service is realtime, so the
// answer names the service_request_id and no token (GeoReport v2 gives a
// token only where the id is not known yet).
type created struct {
	XMLName          xml.Name   `xml:"request" json:"-"`
	ServiceRequestID nullNumber `xml:"service_request_id" json:"service_request_id"`
	ServiceNotice    nullString `xml:"service_notice" json:"service_notice"`
	AccountID        nullString `xml:"account_id" json:"account_id"`
}

// tokenAnswer answers GET tokens/{token}.
type tokenAnswer struct {
	XMLName          xml.Name   `xml:"request" json:"-"`
	ServiceRequestID nullNumber `xml:"service_request_id" json:"service_request_id"`
	Token            string     `xml:"token" json:"token"`
}

// request is one service request of GET requests.
type request struct {
	XMLName           xml.Name   `xml:"request" json:"-"`
	ServiceRequestID  nullNumber `xml:"service_request_id" json:"service_request_id"`
	Status            string     `xml:"status" json:"status"`
	StatusNotes       nullString `xml:"status_notes" json:"status_notes"`
	ServiceName       string     `xml:"service_name" json:"service_name"`
	ServiceCode       string     `xml:"service_code" json:"service_code"`
	Description       string     `xml:"description" json:"description"`
	AgencyResponsible nullString `xml:"agency_responsible" json:"agency_responsible"`
	ServiceNotice     nullString `xml:"service_notice" json:"service_notice"`
	RequestedDatetime string     `xml:"requested_datetime" json:"requested_datetime"`
	UpdatedDatetime   nullString `xml:"updated_datetime" json:"updated_datetime"`
	ExpectedDatetime  nullString `xml:"expected_datetime" json:"expected_datetime"`
	Address           nullString `xml:"address" json:"address"`
	AddressID         nullString `xml:"address_id" json:"address_id"`
	Zipcode           nullString `xml:"zipcode" json:"zipcode"`
	Lat               nullNumber `xml:"lat" json:"lat"`
	Long              nullNumber `xml:"long" json:"long"`
	MediaURL          nullString `xml:"media_url" json:"media_url"`
}

// apiError is one entry of the errors list.
type apiError struct {
	XMLName     xml.Name `xml:"error" json:"-"`
	Code        int      `xml:"code" json:"code"`
	Description string   `xml:"description" json:"description"`
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// encode renders v in the format: JSON as is, XML with the declaration
// the specification requires.
func encode(f format, v any) ([]byte, error) {
	var buf bytes.Buffer
	if f == formatJSON {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		err := enc.Encode(v)
		return buf.Bytes(), err
	}
	buf.WriteString(xmlHeader)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// write sends the JSON value j or the XML value x with the status. Lists
// pass the same slice as j and, wrapped in an xmlList, as x.
func write(w http.ResponseWriter, f format, status int, j, x any) error {
	v := x
	if f == formatJSON {
		v = j
	}
	b, err := encode(f, v)
	if err != nil {
		return err
	}
	if f == formatJSON {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// writeList sends items as a JSON array or as <root><item/>…</root>.
func writeList[T any](w http.ResponseWriter, f format, status int, root string, items []T) error {
	if items == nil {
		items = []T{}
	}
	return write(w, f, status, items, xmlList[T]{root: root, items: items})
}
