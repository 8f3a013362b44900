package render

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
	"github.com/citylinks/citylinks/report"
)

// Language is a language the renderers write their own words in (headings,
// column names, legends, statuses): an ISO 639-1 code. The figures, names
// and notes in a report are the caller's and are written as they are.
type Language string

// The languages with a label catalogue.
const (
	English    Language = "en"
	French     Language = "fr"
	Spanish    Language = "es"
	Portuguese Language = "pt"
)

// Languages returns every Language with a catalogue, English first.
func Languages() []Language { return []Language{English, French, Spanish, Portuguese} }

// Valid reports whether l is one of the Languages.
func (l Language) Valid() bool { return slices.Contains(Languages(), l) }

// ParseLanguage returns the Language of an ISO 639-1 code such as "fr" (a
// region, as in "pt-BR", and case are ignored); "" is English. A language
// with no catalogue is a *citylinks.ValidationError.
func ParseLanguage(code string) (Language, error) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(code)), "-")
	base, _, _ = strings.Cut(base, "_")
	if base == "" {
		return English, nil
	}
	if l := Language(base); l.Valid() {
		return l, nil
	}
	var names []string
	for _, l := range Languages() {
		names = append(names, string(l))
	}
	return "", invalid("lang", "%q has no label catalogue; use one of %s", errtext.Clip(code), strings.Join(names, ", "))
}

// Label returns the renderers' word for key in l. A key l's catalogue lacks,
// and every key of a language with no catalogue, is given in English; a key
// no catalogue has is returned as it is.
func (l Language) Label(key string) string {
	if s, ok := labels[l][key]; ok {
		return s
	}
	if s, ok := labels[English][key]; ok {
		return s
	}
	return key
}

// count writes n and the word of key for n (see word).
func (l Language) count(n int, key string) string { return strconv.Itoa(n) + " " + l.word(n, key) }

// word is the word of key for n: key+"-1" where l's grammar takes the
// singular (CLDR's plural category "one": 1 in English and Spanish; 0 and
// 1 in French and Portuguese), else key+"-n".
func (l Language) word(n int, key string) string {
	one := n == 1
	if l == French || l == Portuguese {
		one = n == 0 || n == 1
	}
	if one {
		return l.Label(key + "-1")
	}
	return l.Label(key + "-n")
}

// code returns l as written in lang attributes: English when unset.
func (l Language) code() string {
	if l == "" {
		return string(English)
	}
	return string(l)
}

// Number writes v for a reader of l: thousands grouped and the decimal
// separator of the language (1,234.5 in English; 1 234,5 in French, with
// a narrow no-break space; 1.234,5 in Spanish and Portuguese), at most two
// decimals, no trailing zeros.
func (l Language) Number(v float64) string {
	if math.Abs(v) < 1e13 { // beyond, v*100 loses digits; such a figure has no cents worth showing
		v = math.Round(v*100) / 100
	}
	return l.decimal(strconv.FormatFloat(v, 'f', -1, 64))
}

// decimal regroups a plain decimal number ("-1234.50") for l.
func (l Language) decimal(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "−", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	group, point := ",", "."
	switch l {
	case French:
		group, point = "\u202f", ","
	case Spanish, Portuguese:
		group, point = ".", ","
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	out := sign + b.String()
	if frac != "" {
		out += point + frac
	}
	return out
}

// Money writes m for a reader of l: the amount in major units grouped as
// Number does, with all the currency's decimals, then the currency code.
func (l Language) Money(m citylinks.Money) string {
	return l.decimal(m.Decimal()) + "\u00a0" + m.Currency
}

// labels holds the catalogues. English has every key; a key missing from
// another language falls back to English (see Language.Label).
var labels = map[Language]map[string]string{
	English: {
		"generated":                      "Generated {}.",
		"glance":                         "At a glance",
		"glance.partnerships":            "Partnerships by state",
		"glance.indicators":              "Indicators against target",
		"glance.contributions":           "Volunteer time and in-kind value",
		"glance.due":                     "Reports overdue",
		"glance.hours":                   "volunteer hours",
		"glance.inkind":                  "in-kind value",
		"glance.overdue":                 "overdue",
		"glance.soon":                    "due within the month",
		"glance.none-overdue":            "No report is overdue.",
		"glance.more":                    "and {} more",
		"glance.late":                    "{}: {} reports, the oldest {} days late",
		"map.title":                      "Host cities and their resource partners",
		"progress.title":                 "Progress to target by partnership and indicator, approved figures",
		"glance.partnerships-n":          "partnerships",
		"glance.partnerships-1":          "partnership",
		"glance.indicators-n":            "indicators",
		"glance.indicators-1":            "indicator",
		"glance.indicators-note":         "Partnership-indicator pairs by progress to target, approved figures only.",
		"status.on-track":                "On track",
		"status.ahead":                   "Ahead",
		"status.behind":                  "Behind",
		"status.no-target":               "No target",
		"status.no-actual":               "No approved actual yet",
		"status.check-target":            "Target to check",
		"status.qualitative":             "Narrative",
		"activity.pipeline":              "Being planned",
		"activity.implementation":        "Under way",
		"activity.finalisation":          "Finishing",
		"activity.closed":                "Completed",
		"activity.cancelled":             "Cancelled",
		"activity.suspended":             "Suspended",
		"state.proposed":                 "Proposed",
		"state.agreed":                   "Agreed",
		"state.active":                   "Active",
		"state.closing":                  "Closing",
		"state.completed":                "Completed",
		"state.suspended":                "Suspended",
		"state.declined":                 "Declined",
		"state.terminated":               "Terminated",
		"approval.draft":                 "draft",
		"approval.submitted":             "submitted",
		"approval.approved":              "approved",
		"approval.returned":              "returned",
		"approval.not":                   "{}, not approved",
		"map":                            "Where the partnerships are",
		"map.note":                       "Each line joins a host city to its resource partner.",
		"map.host":                       "Host city",
		"map.resource":                   "Resource partner",
		"map.missing":                    "Not on the map (no location recorded): {}.",
		"map.credit":                     "Country boundaries: Natural Earth (public domain), via world-atlas.",
		"progress":                       "Progress to target",
		"progress.formula":               "Progress = (actual − baseline) / (target − baseline); on track within ±{} %.",
		"progress.approved-only":         "Actual and progress count approved figures only; \"not yet approved\" totals the figures still a draft, submitted or returned.",
		"progress.axis":                  "Progress to target (%)",
		"progress.target":                "Target met (100 %)",
		"progress.band":                  "On-track band",
		"progress.pending":               "{} not yet approved",
		"unapproved.note":                "Figures a monitor has not approved yet (draft, submitted or returned) are drawn hollow in orange and marked \"not approved\".",
		"col.partnership":                "Partnership",
		"col.program":                    "Programme",
		"col.focus-area":                 "Focus area",
		"col.country":                    "Country",
		"col.period":                     "Period",
		"col.year":                       "Year",
		"col.indicator":                  "Indicator",
		"col.unit":                       "Unit",
		"col.baseline":                   "Baseline",
		"col.target":                     "Target",
		"col.actual":                     "Actual",
		"col.unapproved":                 "Not yet approved",
		"col.progress":                   "Progress",
		"col.status":                     "Status",
		"col.observations":               "Observations",
		"col.unapproved-observations":    "Observations not yet approved",
		"col.indicator-code":             "Indicator code",
		"col.hours":                      "Volunteer hours",
		"col.inkind":                     "In-kind value",
		"col.records":                    "Records",
		"col.due":                        "Due",
		"col.state":                      "Approval state",
		"col.days-late":                  "Days late",
		"col.title":                      "Title",
		"col.partners":                   "Host ↔ resource",
		"col.start":                      "Start",
		"col.end":                        "End",
		"col.id":                         "Reference",
		"col.by":                         "By",
		"col.comment":                    "Comment",
		"col.disaggregation":             "Breakdown",
		"contributions":                  "Volunteer hours and in-kind contributions",
		"contributions.total":            "Volunteer hours in all: {}.",
		"due":                            "Reports due",
		"due.overdue":                    "{} days overdue",
		"due.soon":                       "due in {} days",
		"results":                        "Results by partnership",
		"results.over-time":              "{}: {} over time",
		"results.breakdown":              "{}: {}, {}, by {}",
		"results.none":                   "No figures reported yet.",
		"objectives":                     "Objectives",
		"framework":                      "Results framework",
		"framework.note":                 "The levels of each results framework that hold the report's indicators, with each indicator's type and its partnerships by progress to target.",
		"type.output":                    "output",
		"type.outcome":                   "outcome",
		"type.impact":                    "impact",
		"legend.actual":                  "Actual, approved",
		"legend.actual-running":          "Actual, approved: running total within each target period",
		"legend.actual-cumulative":       "Actual: running total since the first report",
		"legend.unapproved":              "Not yet approved",
		"legend.target":                  "Target for the period",
		"legend.target-cumulative":       "Target to reach by the end of its period (cumulative)",
		"legend.baseline":                "Baseline",
		"chart.period":                   "Period",
		"chart.value":                    "value",
		"chart.target-of":                "target {}: {}",
		"chart.actual-of":                "actual {}: {}",
		"chart.running-of":               "running total to the end of {}: {}",
		"partnerships":                   "Partnerships",
		"approvals":                      "Approvals",
		"narrative":                      "(narrative)",
		"dimension.sex":                  "sex",
		"dimension.age-group":            "age group",
		"category.sex.female":            "Female",
		"category.sex.male":              "Male",
		"category.age-group":             "aged {}",
		"and":                            " and ",
		"party.host":                     "host",
		"party.resource":                 "resource",
		"party.third-country":            "third-country partner",
		"focus.basic-services":           "Basic services",
		"focus.economic-competitiveness": "Local economic competitiveness",
		"focus.municipal-management":     "Municipal management",
		"focus.official-skills":          "Skills of local officials",
		"focus.climate":                  "Climate-related governance",
		"focus.food-security":            "Resilience in Feed the Future focus countries",
		"focus.water-sanitation":         "Urban water supply and sanitation",
	},
	French: {
		"generated":                      "Établi le {}.",
		"glance":                         "En bref",
		"glance.partnerships":            "Partenariats par état",
		"glance.indicators":              "Indicateurs par rapport à la cible",
		"glance.contributions":           "Bénévolat et apports en nature",
		"glance.due":                     "Rapports en retard",
		"glance.hours":                   "heures de bénévolat",
		"glance.inkind":                  "apports en nature",
		"glance.overdue":                 "en retard",
		"glance.soon":                    "attendus dans le mois",
		"glance.none-overdue":            "Aucun rapport n'est en retard.",
		"glance.more":                    "et {} de plus",
		"glance.late":                    "{} : {} rapports, le plus ancien en retard de {} jours",
		"map.title":                      "Villes hôtes et leurs partenaires ressources",
		"progress.title":                 "Progression vers la cible par partenariat et par indicateur, chiffres approuvés",
		"glance.partnerships-n":          "partenariats",
		"glance.partnerships-1":          "partenariat",
		"glance.indicators-n":            "indicateurs",
		"glance.indicators-1":            "indicateur",
		"glance.indicators-note":         "Couples partenariat-indicateur selon la progression vers la cible, chiffres approuvés seulement.",
		"status.on-track":                "Dans les temps",
		"status.ahead":                   "En avance",
		"status.behind":                  "En retard",
		"status.no-target":               "Sans cible",
		"status.no-actual":               "Pas encore de réalisé approuvé",
		"status.check-target":            "Cible à vérifier",
		"status.qualitative":             "Narratif",
		"activity.pipeline":              "En préparation",
		"activity.implementation":        "En cours",
		"activity.finalisation":          "En clôture",
		"activity.closed":                "Achevé",
		"activity.cancelled":             "Annulé",
		"activity.suspended":             "Suspendu",
		"state.proposed":                 "Proposé",
		"state.agreed":                   "Convenu",
		"state.active":                   "Actif",
		"state.closing":                  "En clôture",
		"state.completed":                "Achevé",
		"state.suspended":                "Suspendu",
		"state.declined":                 "Refusé",
		"state.terminated":               "Résilié",
		"approval.draft":                 "brouillon",
		"approval.submitted":             "soumis",
		"approval.approved":              "approuvé",
		"approval.returned":              "renvoyé",
		"approval.not":                   "{}, non approuvé",
		"map":                            "Où sont les partenariats",
		"map.note":                       "Chaque ligne relie une ville hôte à son partenaire ressource.",
		"map.host":                       "Ville hôte",
		"map.resource":                   "Partenaire ressource",
		"map.missing":                    "Absents de la carte (aucune localisation enregistrée) : {}.",
		"map.credit":                     "Frontières : Natural Earth (domaine public), via world-atlas.",
		"progress":                       "Progression vers la cible",
		"progress.formula":               "Progression = (réalisé − référence) / (cible − référence) ; dans les temps à ±{} % près.",
		"progress.approved-only":         "Le réalisé et la progression ne comptent que les chiffres approuvés ; « non encore approuvé » totalise les chiffres encore en brouillon, soumis ou renvoyés.",
		"progress.axis":                  "Progression vers la cible (%)",
		"progress.target":                "Cible atteinte (100 %)",
		"progress.band":                  "Marge « dans les temps »",
		"progress.pending":               "{} non encore approuvé",
		"unapproved.note":                "Les chiffres qu'aucun responsable du suivi n'a encore approuvés (brouillon, soumis ou renvoyés) sont dessinés en orange, évidés, et marqués « non approuvé ».",
		"col.partnership":                "Partenariat",
		"col.program":                    "Programme",
		"col.focus-area":                 "Domaine",
		"col.country":                    "Pays",
		"col.period":                     "Période",
		"col.year":                       "Année",
		"col.indicator":                  "Indicateur",
		"col.unit":                       "Unité",
		"col.baseline":                   "Référence",
		"col.target":                     "Cible",
		"col.actual":                     "Réalisé",
		"col.unapproved":                 "Non encore approuvé",
		"col.progress":                   "Progression",
		"col.status":                     "Statut",
		"col.observations":               "Observations",
		"col.unapproved-observations":    "Observations non encore approuvées",
		"col.indicator-code":             "Code de l'indicateur",
		"col.hours":                      "Heures de bénévolat",
		"col.inkind":                     "Apports en nature",
		"col.records":                    "Enregistrements",
		"col.due":                        "Échéance",
		"col.state":                      "État d'approbation",
		"col.days-late":                  "Jours de retard",
		"col.title":                      "Titre",
		"col.partners":                   "Hôte ↔ ressource",
		"col.start":                      "Début",
		"col.end":                        "Fin",
		"col.id":                         "Référence",
		"col.by":                         "Par",
		"col.comment":                    "Commentaire",
		"col.disaggregation":             "Ventilation",
		"contributions":                  "Heures de bénévolat et apports en nature",
		"contributions.total":            "Heures de bénévolat au total : {}.",
		"due":                            "Rapports attendus",
		"due.overdue":                    "{} jours de retard",
		"due.soon":                       "attendu dans {} jours",
		"results":                        "Résultats par partenariat",
		"results.over-time":              "{} : {} dans le temps",
		"results.breakdown":              "{} : {}, {}, par {}",
		"results.none":                   "Aucun chiffre communiqué pour l'instant.",
		"objectives":                     "Objectifs",
		"framework":                      "Cadre de résultats",
		"framework.note":                 "Les niveaux de chaque cadre de résultats qui portent les indicateurs du rapport, avec le type de chaque indicateur et ses partenariats selon la progression vers la cible.",
		"type.output":                    "extrant",
		"type.outcome":                   "effet",
		"type.impact":                    "impact",
		"legend.actual":                  "Réalisé, approuvé",
		"legend.actual-running":          "Réalisé, approuvé : cumul au sein de chaque période de cible",
		"legend.actual-cumulative":       "Réalisé : cumul depuis le premier rapport",
		"legend.unapproved":              "Non encore approuvé",
		"legend.target":                  "Cible de la période",
		"legend.target-cumulative":       "Cible à atteindre à la fin de sa période (cumul)",
		"legend.baseline":                "Référence",
		"chart.period":                   "Période",
		"chart.value":                    "valeur",
		"chart.target-of":                "cible {} : {}",
		"chart.actual-of":                "réalisé {} : {}",
		"chart.running-of":               "cumul à la fin de {} : {}",
		"partnerships":                   "Partenariats",
		"approvals":                      "Approbations",
		"narrative":                      "(narratif)",
		"dimension.sex":                  "sexe",
		"dimension.age-group":            "tranche d'âge",
		"category.sex.female":            "Femmes",
		"category.sex.male":              "Hommes",
		"category.age-group":             "{} ans",
		"and":                            " et ",
		"party.host":                     "hôte",
		"party.resource":                 "ressource",
		"party.third-country":            "partenaire d'un pays tiers",
		"focus.basic-services":           "Services de base",
		"focus.economic-competitiveness": "Compétitivité économique locale",
		"focus.municipal-management":     "Gestion municipale",
		"focus.official-skills":          "Compétences des élus et agents locaux",
		"focus.climate":                  "Gouvernance climatique",
		"focus.food-security":            "Résilience dans les pays prioritaires de Feed the Future",
		"focus.water-sanitation":         "Eau et assainissement urbains",
	},
	Spanish: {
		"generated":                      "Elaborado el {}.",
		"glance":                         "De un vistazo",
		"glance.partnerships":            "Alianzas por estado",
		"glance.indicators":              "Indicadores frente a la meta",
		"glance.contributions":           "Voluntariado y aportes en especie",
		"glance.due":                     "Informes atrasados",
		"glance.hours":                   "horas de voluntariado",
		"glance.inkind":                  "aportes en especie",
		"glance.overdue":                 "atrasados",
		"glance.soon":                    "vencen en el mes",
		"glance.none-overdue":            "Ningún informe está atrasado.",
		"glance.more":                    "y {} más",
		"glance.late":                    "{}: {} informes, el más antiguo con {} días de atraso",
		"map.title":                      "Ciudades anfitrionas y sus socios de recursos",
		"progress.title":                 "Avance hacia la meta por alianza e indicador, cifras aprobadas",
		"glance.partnerships-n":          "alianzas",
		"glance.partnerships-1":          "alianza",
		"glance.indicators-n":            "indicadores",
		"glance.indicators-1":            "indicador",
		"glance.indicators-note":         "Pares alianza-indicador según el avance hacia la meta, solo cifras aprobadas.",
		"status.on-track":                "En curso",
		"status.ahead":                   "Adelantado",
		"status.behind":                  "Atrasado",
		"status.no-target":               "Sin meta",
		"status.no-actual":               "Aún sin logro aprobado",
		"status.check-target":            "Meta por revisar",
		"status.qualitative":             "Narrativo",
		"activity.pipeline":              "En preparación",
		"activity.implementation":        "En ejecución",
		"activity.finalisation":          "En cierre",
		"activity.closed":                "Terminada",
		"activity.cancelled":             "Cancelada",
		"activity.suspended":             "Suspendida",
		"state.proposed":                 "Propuesta",
		"state.agreed":                   "Acordada",
		"state.active":                   "Activa",
		"state.closing":                  "En cierre",
		"state.completed":                "Completada",
		"state.suspended":                "Suspendida",
		"state.declined":                 "Rechazada",
		"state.terminated":               "Rescindida",
		"approval.draft":                 "borrador",
		"approval.submitted":             "enviado",
		"approval.approved":              "aprobado",
		"approval.returned":              "devuelto",
		"approval.not":                   "{}, no aprobado",
		"map":                            "Dónde están las alianzas",
		"map.note":                       "Cada línea une una ciudad anfitriona con su socio de recursos.",
		"map.host":                       "Ciudad anfitriona",
		"map.resource":                   "Socio de recursos",
		"map.missing":                    "Fuera del mapa (sin ubicación registrada): {}.",
		"map.credit":                     "Fronteras: Natural Earth (dominio público), vía world-atlas.",
		"progress":                       "Avance hacia la meta",
		"progress.formula":               "Avance = (logro − línea de base) / (meta − línea de base); en curso con un margen de ±{} %.",
		"progress.approved-only":         "El logro y el avance cuentan solo cifras aprobadas; «aún no aprobado» suma las cifras en borrador, enviadas o devueltas.",
		"progress.axis":                  "Avance hacia la meta (%)",
		"progress.target":                "Meta alcanzada (100 %)",
		"progress.band":                  "Margen «en curso»",
		"progress.pending":               "{} aún no aprobado",
		"unapproved.note":                "Las cifras que ningún responsable de seguimiento ha aprobado aún (borrador, enviadas o devueltas) se dibujan huecas en naranja y se marcan «no aprobado».",
		"col.partnership":                "Alianza",
		"col.program":                    "Programa",
		"col.focus-area":                 "Área",
		"col.country":                    "País",
		"col.period":                     "Período",
		"col.year":                       "Año",
		"col.indicator":                  "Indicador",
		"col.unit":                       "Unidad",
		"col.baseline":                   "Línea de base",
		"col.target":                     "Meta",
		"col.actual":                     "Logro",
		"col.unapproved":                 "Aún no aprobado",
		"col.progress":                   "Avance",
		"col.status":                     "Situación",
		"col.observations":               "Observaciones",
		"col.unapproved-observations":    "Observaciones aún no aprobadas",
		"col.indicator-code":             "Código del indicador",
		"col.hours":                      "Horas de voluntariado",
		"col.inkind":                     "Aportes en especie",
		"col.records":                    "Registros",
		"col.due":                        "Vencimiento",
		"col.state":                      "Estado de aprobación",
		"col.days-late":                  "Días de atraso",
		"col.title":                      "Título",
		"col.partners":                   "Anfitrión ↔ recursos",
		"col.start":                      "Inicio",
		"col.end":                        "Fin",
		"col.id":                         "Referencia",
		"col.by":                         "Por",
		"col.comment":                    "Comentario",
		"col.disaggregation":             "Desglose",
		"contributions":                  "Horas de voluntariado y aportes en especie",
		"contributions.total":            "Horas de voluntariado en total: {}.",
		"due":                            "Informes pendientes",
		"due.overdue":                    "{} días de atraso",
		"due.soon":                       "vence en {} días",
		"results":                        "Resultados por alianza",
		"results.over-time":              "{}: {} en el tiempo",
		"results.breakdown":              "{}: {}, {}, por {}",
		"results.none":                   "Aún no se han comunicado cifras.",
		"objectives":                     "Objetivos",
		"framework":                      "Marco de resultados",
		"framework.note":                 "Los niveles de cada marco de resultados que contienen los indicadores del informe, con el tipo de cada indicador y sus alianzas según el avance hacia la meta.",
		"type.output":                    "producto",
		"type.outcome":                   "efecto",
		"type.impact":                    "impacto",
		"legend.actual":                  "Logro, aprobado",
		"legend.actual-running":          "Logro, aprobado: total acumulado dentro de cada período de meta",
		"legend.actual-cumulative":       "Logro: total acumulado desde el primer informe",
		"legend.unapproved":              "Aún no aprobado",
		"legend.target":                  "Meta del período",
		"legend.target-cumulative":       "Meta por alcanzar al final de su período (acumulada)",
		"legend.baseline":                "Línea de base",
		"chart.period":                   "Período",
		"chart.value":                    "valor",
		"chart.target-of":                "meta {}: {}",
		"chart.actual-of":                "logro {}: {}",
		"chart.running-of":               "acumulado al final de {}: {}",
		"partnerships":                   "Alianzas",
		"approvals":                      "Aprobaciones",
		"narrative":                      "(narrativo)",
		"dimension.sex":                  "sexo",
		"dimension.age-group":            "grupo de edad",
		"category.sex.female":            "Mujeres",
		"category.sex.male":              "Hombres",
		"category.age-group":             "{} años",
		"and":                            " y ",
		"party.host":                     "anfitrión",
		"party.resource":                 "recursos",
		"party.third-country":            "socio de un tercer país",
		"focus.basic-services":           "Servicios básicos",
		"focus.economic-competitiveness": "Competitividad económica local",
		"focus.municipal-management":     "Gestión municipal",
		"focus.official-skills":          "Capacidades de los funcionarios locales",
		"focus.climate":                  "Gobernanza climática",
		"focus.food-security":            "Resiliencia en los países prioritarios de Feed the Future",
		"focus.water-sanitation":         "Agua y saneamiento urbanos",
	},
	Portuguese: {
		"generated":                      "Elaborado em {}.",
		"glance":                         "Visão geral",
		"glance.partnerships":            "Parcerias por estado",
		"glance.indicators":              "Indicadores em relação à meta",
		"glance.contributions":           "Voluntariado e contribuições em espécie",
		"glance.due":                     "Relatórios em atraso",
		"glance.hours":                   "horas de voluntariado",
		"glance.inkind":                  "contribuições em espécie",
		"glance.overdue":                 "em atraso",
		"glance.soon":                    "vencem no mês",
		"glance.none-overdue":            "Nenhum relatório está em atraso.",
		"glance.more":                    "e mais {}",
		"glance.late":                    "{}: {} relatórios, o mais antigo com {} dias de atraso",
		"map.title":                      "Cidades anfitriãs e seus parceiros de recursos",
		"progress.title":                 "Progresso em direção à meta por parceria e indicador, números aprovados",
		"glance.partnerships-n":          "parcerias",
		"glance.partnerships-1":          "parceria",
		"glance.indicators-n":            "indicadores",
		"glance.indicators-1":            "indicador",
		"glance.indicators-note":         "Pares parceria-indicador segundo o progresso em direção à meta, apenas números aprovados.",
		"status.on-track":                "No rumo",
		"status.ahead":                   "Adiantado",
		"status.behind":                  "Atrasado",
		"status.no-target":               "Sem meta",
		"status.no-actual":               "Ainda sem realizado aprovado",
		"status.check-target":            "Meta a verificar",
		"status.qualitative":             "Narrativo",
		"activity.pipeline":              "Em preparação",
		"activity.implementation":        "Em execução",
		"activity.finalisation":          "Em encerramento",
		"activity.closed":                "Concluída",
		"activity.cancelled":             "Cancelada",
		"activity.suspended":             "Suspensa",
		"state.proposed":                 "Proposta",
		"state.agreed":                   "Acordada",
		"state.active":                   "Ativa",
		"state.closing":                  "Em encerramento",
		"state.completed":                "Concluída",
		"state.suspended":                "Suspensa",
		"state.declined":                 "Recusada",
		"state.terminated":               "Rescindida",
		"approval.draft":                 "rascunho",
		"approval.submitted":             "enviado",
		"approval.approved":              "aprovado",
		"approval.returned":              "devolvido",
		"approval.not":                   "{}, não aprovado",
		"map":                            "Onde estão as parcerias",
		"map.note":                       "Cada linha liga uma cidade anfitriã ao seu parceiro de recursos.",
		"map.host":                       "Cidade anfitriã",
		"map.resource":                   "Parceiro de recursos",
		"map.missing":                    "Fora do mapa (sem localização registrada): {}.",
		"map.credit":                     "Fronteiras: Natural Earth (domínio público), via world-atlas.",
		"progress":                       "Progresso em direção à meta",
		"progress.formula":               "Progresso = (realizado − linha de base) / (meta − linha de base); no rumo com margem de ±{} %.",
		"progress.approved-only":         "O realizado e o progresso contam apenas números aprovados; «ainda não aprovado» soma os números em rascunho, enviados ou devolvidos.",
		"progress.axis":                  "Progresso em direção à meta (%)",
		"progress.target":                "Meta atingida (100 %)",
		"progress.band":                  "Margem «no rumo»",
		"progress.pending":               "{} ainda não aprovado",
		"unapproved.note":                "Os números que nenhum responsável pelo monitoramento aprovou ainda (rascunho, enviados ou devolvidos) aparecem vazados em laranja e marcados «não aprovado».",
		"col.partnership":                "Parceria",
		"col.program":                    "Programa",
		"col.focus-area":                 "Área",
		"col.country":                    "País",
		"col.period":                     "Período",
		"col.year":                       "Ano",
		"col.indicator":                  "Indicador",
		"col.unit":                       "Unidade",
		"col.baseline":                   "Linha de base",
		"col.target":                     "Meta",
		"col.actual":                     "Realizado",
		"col.unapproved":                 "Ainda não aprovado",
		"col.progress":                   "Progresso",
		"col.status":                     "Situação",
		"col.observations":               "Observações",
		"col.unapproved-observations":    "Observações ainda não aprovadas",
		"col.indicator-code":             "Código do indicador",
		"col.hours":                      "Horas de voluntariado",
		"col.inkind":                     "Contribuições em espécie",
		"col.records":                    "Registros",
		"col.due":                        "Vencimento",
		"col.state":                      "Estado de aprovação",
		"col.days-late":                  "Dias de atraso",
		"col.title":                      "Título",
		"col.partners":                   "Anfitriã ↔ recursos",
		"col.start":                      "Início",
		"col.end":                        "Fim",
		"col.id":                         "Referência",
		"col.by":                         "Por",
		"col.comment":                    "Comentário",
		"col.disaggregation":             "Desagregação",
		"contributions":                  "Horas de voluntariado e contribuições em espécie",
		"contributions.total":            "Horas de voluntariado no total: {}.",
		"due":                            "Relatórios devidos",
		"due.overdue":                    "{} dias de atraso",
		"due.soon":                       "vence em {} dias",
		"results":                        "Resultados por parceria",
		"results.over-time":              "{}: {} ao longo do tempo",
		"results.breakdown":              "{}: {}, {}, por {}",
		"results.none":                   "Nenhum número comunicado ainda.",
		"objectives":                     "Objetivos",
		"framework":                      "Quadro de resultados",
		"framework.note":                 "Os níveis de cada quadro de resultados que contêm os indicadores do relatório, com o tipo de cada indicador e suas parcerias segundo o progresso em direção à meta.",
		"type.output":                    "produto",
		"type.outcome":                   "efeito",
		"type.impact":                    "impacto",
		"legend.actual":                  "Realizado, aprovado",
		"legend.actual-running":          "Realizado, aprovado: total acumulado dentro de cada período de meta",
		"legend.actual-cumulative":       "Realizado: total acumulado desde o primeiro relatório",
		"legend.unapproved":              "Ainda não aprovado",
		"legend.target":                  "Meta do período",
		"legend.target-cumulative":       "Meta a atingir ao fim do seu período (acumulada)",
		"legend.baseline":                "Linha de base",
		"chart.period":                   "Período",
		"chart.value":                    "valor",
		"chart.target-of":                "meta {}: {}",
		"chart.actual-of":                "realizado {}: {}",
		"chart.running-of":               "acumulado ao fim de {}: {}",
		"partnerships":                   "Parcerias",
		"approvals":                      "Aprovações",
		"narrative":                      "(narrativo)",
		"dimension.sex":                  "sexo",
		"dimension.age-group":            "faixa etária",
		"category.sex.female":            "Mulheres",
		"category.sex.male":              "Homens",
		"category.age-group":             "{} anos",
		"and":                            " e ",
		"party.host":                     "anfitriã",
		"party.resource":                 "recursos",
		"party.third-country":            "parceiro de um país terceiro",
		"focus.basic-services":           "Serviços básicos",
		"focus.economic-competitiveness": "Competitividade econômica local",
		"focus.municipal-management":     "Gestão municipal",
		"focus.official-skills":          "Capacidades dos agentes locais",
		"focus.climate":                  "Governança climática",
		"focus.food-security":            "Resiliência nos países prioritários do Feed the Future",
		"focus.water-sanitation":         "Água e saneamento urbanos",
	},
}

// fill replaces each "{}" of pattern, in order, with an argument.
func fill(pattern string, args ...string) string {
	var b strings.Builder
	for _, a := range args {
		before, after, ok := strings.Cut(pattern, "{}")
		if !ok {
			break
		}
		b.WriteString(before)
		b.WriteString(a)
		pattern = after
	}
	b.WriteString(pattern)
	return b.String()
}

// labelf is l.Label(key) with its "{}" filled by args.
func (l Language) labelf(key string, args ...string) string { return fill(l.Label(key), args...) }

// statusLabel is the word for a progress status.
func (l Language) statusLabel(s report.ProgressStatus) string { return l.Label("status." + string(s)) }

// standing is the word for where a partnership stands: its lifecycle
// state when the activity carries it (so a report says completed or
// declined, as the partnership's own summaries do), else its IATI status.
func (l Language) standing(a report.Activity) string {
	if a.State != "" {
		return l.Label("state." + a.State)
	}
	return l.activityLabel(a.Status)
}

// activityLabel is the word for an activity status.
func (l Language) activityLabel(s report.ActivityStatus) string {
	return l.Label("activity." + string(s))
}

// approvalLabel shows an actual's approval state in l: "approved", or
// the state and "not approved" ("returned, not approved"); "–" for none.
func (l Language) approvalLabel(s report.ApprovalState) string {
	switch s {
	case "":
		return "–"
	case report.StateApproved:
		return l.Label("approval.approved")
	}
	return l.labelf("approval.not", l.Label("approval."+string(s)))
}

// focusLabel is the name of a focus area in l: the catalogue's for the
// built-in ones, else citylinks' name, else the id.
func (l Language) focusLabel(id string) string {
	if s, ok := labels[l]["focus."+id]; ok {
		return s
	}
	if f, err := citylinks.LookupFocusArea(id); err == nil {
		return f.Name
	}
	return id
}

// dimLabel is the name of a roll-up dimension, as a column heading.
func (l Language) dimLabel(d string) string {
	if _, ok := labels[English]["col."+d]; ok {
		return l.Label("col." + d)
	}
	return d
}

// categories writes a breakdown in words: "Female", "Female, aged 15-34".
// A category the catalogue knows (category.DIM.VALUE) is its word; a
// dimension with a pattern (category.DIM) fills it with the value; any
// other is "dimension: value".
func (l Language) categories(d report.Disaggregation, order []string) string {
	keys := d.Keys()
	slices.SortStableFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return ia - ib
	})
	var parts []string
	for _, k := range keys {
		v := d[k]
		if s, ok := l.lookup("category." + k + "." + v); ok {
			parts = append(parts, s)
		} else if p, ok := l.lookup("category." + k); ok {
			parts = append(parts, fill(p, v))
		} else {
			parts = append(parts, l.dimension(k)+": "+v)
		}
	}
	if len(parts) > 0 {
		parts[0] = upperFirst(parts[0])
	}
	return strings.Join(parts, ", ")
}

// dimension is a disaggregation dimension's name in words.
func (l Language) dimension(k string) string {
	if s, ok := l.lookup("dimension." + k); ok {
		return s
	}
	return strings.ReplaceAll(k, "-", " ")
}

// lookup is Label that says whether any catalogue has key.
func (l Language) lookup(key string) (string, bool) {
	s := l.Label(key)
	return s, s != key
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
