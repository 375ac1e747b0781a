// Public API of the plugin layer (layer 1): the provider contract and `serve`.
export * from './provider-definition';
export { serve, type ServeOptions, type ServingProvider } from './serve';
export { PluginError, formatPath, type PluginErrorCode } from './errors';
