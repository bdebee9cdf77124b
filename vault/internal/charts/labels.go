package charts

// Text holds every piece of English text the charts show, in one place, so
// that a translation can replace it whole (the i18n work swaps this value
// for a catalogue). Placeholders are fmt verbs, noted next to each.
type Text struct {
	// Chart titles, one per dimension.
	Status, Article, Region, District, Year, Mistreatment, Facility, Condition string
	// Headers of the first column of each chart's table.
	StatusCol, ArticleCol, RegionCol, DistrictCol, YearCol, MistreatmentCol, FacilityCol, ConditionCol string
	// CasesCol heads the column of counts.
	CasesCol string
	// None labels the cases without a value.
	None string
	// FewerThan is shown instead of a count below the threshold (%d: the
	// threshold).
	FewerThan string
	// Desc describes a chart to a screen reader (%s: the title; %d: the
	// number of bars; %s: the largest bar's label; %s: its count as shown).
	Desc string
	// DescEmpty describes a chart without any bar (%s: the title).
	DescEmpty string
	// TableNote follows the description: where the numbers are.
	TableNote string
	// Suppressed explains the "fewer than" rows (%d: the threshold).
	Suppressed string
	// PageTitle heads a page of charts; Total introduces the number of cases.
	PageTitle, Total string
	// OwnerTitle heads the charts of the owner's whole vault; OwnerNote
	// warns that they are not for publication (%d: the number of cases).
	OwnerTitle, OwnerNote string
	// Lang is the language of the text, for the page's lang attribute
	// ("" is English).
	Lang string
}

// English is the text of the charts in English.
var English = Text{
	Status:          "Prisoners by status",
	Article:         "Prisoners by article",
	Region:          "Prisoners by region",
	District:        "Prisoners by federal district",
	Year:            "New detentions per year",
	Mistreatment:    "Mistreatment by kind",
	Facility:        "Prisoners by facility",
	Condition:       "Detention conditions",
	StatusCol:       "Status",
	ArticleCol:      "Article",
	RegionCol:       "Region",
	DistrictCol:     "Federal district",
	YearCol:         "Year of first detention",
	MistreatmentCol: "Kind of mistreatment",
	FacilityCol:     "Facility",
	ConditionCol:    "Condition",
	CasesCol:        "Cases",
	None:            "(none)",
	FewerThan:       "fewer than %d",
	Desc:            "Bar chart: %s, %d bars. The largest is %s with %s.",
	DescEmpty:       "Bar chart: %s. There is nothing to count.",
	TableNote:       "The table next to the chart gives every number.",
	Suppressed:      "Counts below %[1]d are written “fewer than %[1]d” and drawn as a short grey bar, so that no chart shows an exact number below %[1]d. This hides no one: the list of cases shows every published case, with its status, region and articles.",
	PageTitle:       "Cases in charts",
	Total:           "Cases counted",
	OwnerTitle:      "Cases in this vault",
	OwnerNote:       "%d cases, confidential ones included: these counts are private and not for publication as they are.",
}
