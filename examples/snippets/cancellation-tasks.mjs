// Tasks for cancellation.mjs: stand-ins for real work.
export const render = (scene) => new Promise((resolve) => setTimeout(() => resolve(`rendered ${scene}`), 5_000));
export const resize = async (image) => `${image} resized`;
export const fetchPage = async (url) => `page ${url}`;
