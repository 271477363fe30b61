package ios

// DefaultVersion is the iOS version a Config with Version 0 models.
const DefaultVersion = 17

// Heuristic parameter set names.
const (
	HeuristicsOptimistic  = "optimistic"
	HeuristicsTypical     = "typical"
	HeuristicsPessimistic = "pessimistic"
)
