/**
 * Tabular fairness data (CPSSW8, folktables' ACSIncome): a validated table of features, binary labels and
 * protected groups, with stratified splits, standardisation and group-balanced batch sampling.
 */
package dev.constrained4j.data.tabular;
