// Public API of layer 2 (the SCIM client and model). Layer 3 imports only from here.
export * from './model';
export * from './errors';
export * from './profiles';
export * from './scim-client';
export * from './compare';
