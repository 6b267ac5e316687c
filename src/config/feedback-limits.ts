/** The smallest feedback budget (characters) that still fits one failure with its location. */
export const minimumFeedbackBudget = 200;
