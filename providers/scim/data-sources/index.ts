// The data sources of the scim provider, in the order they are registered.
import { groupDataSource } from './group-data-source';
import { serviceProviderConfigDataSource } from './service-provider-config-data-source';
import { userDataSource } from './user-data-source';
import { usersDataSource } from './users-data-source';

export { groupDataSource, serviceProviderConfigDataSource, userDataSource, usersDataSource };
export const dataSources = [userDataSource, usersDataSource, groupDataSource, serviceProviderConfigDataSource];
