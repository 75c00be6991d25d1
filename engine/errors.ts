/**
 * Error classes, named as in the `headroom-ai` SDK so callers can switch imports.
 * Every error carries a stable machine-readable `code` and optional `details`.
 * Bad *data* never throws (it passes through); only caller mistakes do, or any failure
 * when the caller asked for `strict: true`.
 */

export type HeadroomErrorCode =
  | 'CONFIGURATION'
  | 'PROVIDER'
  | 'STORAGE'
  | 'TOKENIZATION'
  | 'CACHE'
  | 'VALIDATION'
  | 'TRANSFORM'
  | 'COMPRESS'
  | 'CONNECTION'
  | 'AUTH';

export class HeadroomError extends Error {
  readonly code: HeadroomErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>, code: HeadroomErrorCode = 'COMPRESS') {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** Invalid options or configuration (the caller's mistake). */
export class ConfigurationError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'CONFIGURATION');
  }
}

/** Provider-specific problem (e.g. a message shape the chosen format cannot express). */
export class ProviderError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'PROVIDER');
  }
}

/** A CCR / memory store failed. */
export class StorageError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'STORAGE');
  }
}

/** Token counting failed (e.g. encoding ranks could not be loaded). */
export class TokenizationError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'TOKENIZATION');
  }
}

export class CacheError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'CACHE');
  }
}

/** Input that cannot be processed in the way the caller explicitly asked for. */
export class ValidationError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'VALIDATION');
  }
}

/** A transform failed. Only surfaces with `strict: true`; otherwise it becomes a warning. */
export class TransformError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'TRANSFORM');
  }
}

/** Compression failed as a whole (strict mode only). Kept for `headroom-ai` compatibility. */
export class HeadroomCompressError extends HeadroomError {
  readonly statusCode?: number;
  readonly errorType?: string;
  constructor(message: string, details?: Record<string, unknown>, statusCode?: number, errorType?: string) {
    super(message, details, 'COMPRESS');
    if (statusCode !== undefined) this.statusCode = statusCode;
    if (errorType !== undefined) this.errorType = errorType;
  }
}

/** Kept for `headroom-ai` compatibility; this SDK has no proxy to connect to. */
export class HeadroomConnectionError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'CONNECTION');
  }
}

/** Kept for `headroom-ai` compatibility; this SDK has no proxy to authenticate with. */
export class HeadroomAuthError extends HeadroomError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'AUTH');
  }
}

/** Map a `headroom-ai` proxy error (status, type) to the matching class, as that SDK does. */
export function mapProxyError(status: number, type: string | undefined, message: string): HeadroomError {
  if (status === 401) return new HeadroomAuthError(message);
  switch (type) {
    case 'configuration_error':
      return new ConfigurationError(message);
    case 'provider_error':
      return new ProviderError(message);
    case 'storage_error':
      return new StorageError(message);
    case 'tokenization_error':
      return new TokenizationError(message);
    case 'validation_error':
      return new ValidationError(message);
    case 'transform_error':
      return new TransformError(message);
    default:
      return new HeadroomCompressError(message, undefined, status, type);
  }
}
