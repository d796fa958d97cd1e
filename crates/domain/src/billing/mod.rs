//! The business model's pure core: money in öre, price lists with validity, volumes priced
//! into charge lines, the preview of a billing run, corrections, and the SIE 4I writer.

pub mod money;
pub mod price_list;
pub mod run;
pub mod sie_out;
