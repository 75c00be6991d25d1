export * from './types.js';
export { converters, fromInternal, isMessageFormat, MESSAGE_FORMATS, toInternal, tryToInternal, type InternalConversation } from './convert.js';
export { detectFormat, formatScores, type FormatScores } from './detect.js';
export { openaiConverter } from './openai.js';
export { anthropicConverter } from './anthropic.js';
export { vercelConverter } from './vercel.js';
export { geminiConverter, isSynthesizedGeminiId } from './gemini.js';
export type { MessageConverter } from './shared.js';
