export * from './types';
export { LESSONS, lessonById } from './lessons';
