export { DomainError, isDomainError, type DomainErrorCode } from './errors.ts';
export {
  type TitleId,
  type UserId,
  type PlatformId,
  type ImdbId,
  TITLE_ID_PATTERN,
  IMDB_ID_PATTERN,
  isTitleId,
  toImdbId,
} from './ids.ts';
export { GENRES, GENRE_NAMES, type Genre, mapGenreLabel, mapGenreLabels, isGenre } from './genres.ts';
export { type Maturity, type MaturitySystem, normalizeMaturity, isKnownMaturityLabel } from './maturity.ts';
export { isRegion, toCountryCode, REGION_PATTERN } from './countries.ts';
export { normalizeTitle, splitList, parsePythonList } from './normalize.ts';
export {
  type Platform,
  type LinkKind,
  type ProviderKind,
  type ProviderSource,
  type ProviderSourceIds,
  PLATFORMS,
  getPlatform,
  findPlatform,
  providerForSource,
  derivedProviderId,
  isDerivedProviderId,
  searchLink,
  directLink,
} from './platforms.ts';
export {
  TitleKindSchema,
  type TitleKind,
  MonetizationSchema,
  type Monetization,
  LinkKindSchema,
  MaturitySchema,
  SourceOfferSchema,
  type SourceOffer,
  ExternalIdsSchema,
  type ExternalIds,
  SourceRecordSchema,
  type SourceRecord,
  type SourceRecordInput,
  type Offer,
  type Person,
  type CanonicalTitle,
} from './title.ts';
export {
  IMAGE_KINDS,
  type ImageKind,
  type ImageUse,
  IMAGE_SIZES,
  type ImageSize,
  IMAGE_SOURCES,
  type ImageSource,
  IMAGE_HOSTS,
  IMAGE_ATTRIBUTION,
  IMAGE_PREFERENCE,
  JUSTWATCH_PROFILE,
  type ImageRef,
  SourceImageSchema,
  type SourceImage,
  isAllowedImageUrl,
  upstreamImageUrl,
  imageRefFromUrl,
  imagePreference,
  imageVersion,
  titleImagePath,
} from './images.ts';
export { type Logger, noopLogger } from './logger.ts';
export { type Clock, type ManualClock, systemClock, manualClock } from './clock.ts';
export { hasControlCharacter } from './control-chars.ts';
export { type Setting, type SettingValues, setting, settingValues, parse } from './settings.ts';
export { type Instrument, instrument, setInstrument } from './instrument.ts';
