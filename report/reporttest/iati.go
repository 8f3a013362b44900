package reporttest

import (
	"encoding/xml"
	"strings"
)

// IATIActuals reads an IATI activities document and returns, by activity
// identifier, each actual of its result indicators as one line:
// "indicator title|period start|period end|value|dimensions|comment", with
// dimensions as name=value joined by ";" (e.g. "Municipal staff trained in
// climate adaptation (people)|2015-01-01|2015-03-31|14||"). Tests use it to
// see which figures a document publishes.
func IATIActuals(doc []byte) (map[string][]string, error) {
	type date struct {
		ISO string `xml:"iso-date,attr"`
	}
	var d struct {
		Activities []struct {
			ID      string `xml:"iati-identifier"`
			Results []struct {
				Indicators []struct {
					Title   string `xml:"title>narrative"`
					Periods []struct {
						Start   date `xml:"period-start"`
						End     date `xml:"period-end"`
						Actuals []struct {
							Value      string `xml:"value,attr"`
							Dimensions []struct {
								Name  string `xml:"name,attr"`
								Value string `xml:"value,attr"`
							} `xml:"dimension"`
							Comment string `xml:"comment>narrative"`
						} `xml:"actual"`
					} `xml:"period"`
				} `xml:"indicator"`
			} `xml:"result"`
		} `xml:"iati-activity"`
	}
	if err := xml.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, a := range d.Activities {
		for _, res := range a.Results {
			for _, in := range res.Indicators {
				for _, p := range in.Periods {
					for _, ac := range p.Actuals {
						var dims []string
						for _, dm := range ac.Dimensions {
							dims = append(dims, dm.Name+"="+dm.Value)
						}
						out[a.ID] = append(out[a.ID], strings.Join([]string{in.Title, p.Start.ISO, p.End.ISO, ac.Value, strings.Join(dims, ";"), ac.Comment}, "|"))
					}
				}
			}
		}
	}
	return out, nil
}
