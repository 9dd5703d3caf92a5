export {
  verifyDataset,
  disagreementsByDate,
  disagreementsPath,
  VERIFIED_DATASETS,
  DEFAULT_THRESHOLDS_BP,
  DISAGREEMENT_COLUMNS,
  type VerifiedDataset,
  type VerifyOptions,
  type DateDisagreement,
} from './disagreements.js';
