//! Values too large to live in a leaf: blob objects.
//!
//! A blob object is `[kind][payload]`: kind 0 is raw data; kind 2 is raw data
//! followed by one padding byte (used when `1 + len` would be a power of two of
//! 4 KiB or more, which redb would store in double the space); kind 1 is a chunk
//! list, the concatenated 32-byte ids of kind-0/2 objects whose data, joined,
//! is the value. Values over `BLOB_CHUNK` bytes are chunked, so no object is
//! much over 1 MiB and identical chunks are stored once.

use super::{NewObjects, ObjectRead, ValRef};
use crate::error::{Error, Result};
use crate::object::Id;

/// The largest chunk of a chunked value: just under 1 MiB.
pub const BLOB_CHUNK: usize = 1024 * 1024 - 64;

const RAW: u8 = 0;
/// The kind byte of a chunk-list blob.
pub const BLOB_LIST: u8 = 1;
const LIST: u8 = BLOB_LIST;
const RAW_PADDED: u8 = 2;

fn raw_object(data: &[u8]) -> Vec<u8> {
    let len = 1 + data.len();
    let padded = len >= 4096 && len.is_power_of_two();
    let mut obj = Vec::with_capacity(len + 1);
    obj.push(if padded { RAW_PADDED } else { RAW });
    obj.extend_from_slice(data);
    if padded {
        obj.push(0);
    }
    obj
}

fn add(new: &mut NewObjects, obj: Vec<u8>) -> Id {
    let id = Id::of(&obj);
    if !new.blobs.iter().any(|(b, _)| *b == id) {
        new.blobs.push((id, obj));
    }
    id
}

/// Stores an encoded value: inline if small, else as blob objects added to `new`.
pub fn store_value(encoded: Vec<u8>, new: &mut NewObjects) -> ValRef {
    if encoded.len() <= super::node::INLINE_MAX {
        return ValRef::Inline(encoded.into());
    }
    let len = encoded.len() as u64;
    let id = if encoded.len() <= BLOB_CHUNK {
        add(new, raw_object(&encoded))
    } else {
        let mut list = vec![LIST];
        for chunk in encoded.chunks(BLOB_CHUNK) {
            list.extend_from_slice(&add(new, raw_object(chunk)).0);
        }
        add(new, list)
    };
    ValRef::Blob { id, len }
}

fn raw_data(id: &Id, obj: &[u8]) -> Result<Vec<u8>> {
    match obj.split_first() {
        Some((&RAW, data)) => Ok(data.to_vec()),
        Some((&RAW_PADDED, data)) if !data.is_empty() => Ok(data[..data.len() - 1].to_vec()),
        _ => Err(Error::Corrupt(format!(
            "blob {} is not a data chunk",
            id.short()
        ))),
    }
}

/// The encoded value a leaf entry refers to.
pub fn read_value_bytes(src: &dyn ObjectRead, vref: &ValRef) -> Result<Vec<u8>> {
    let (id, len) = match vref {
        ValRef::Inline(bytes) => return Ok(bytes.to_vec()),
        ValRef::Blob { id, len } => (id, *len),
    };
    let obj = src.blob(id)?;
    let data = match obj.first() {
        Some(&LIST) => {
            let ids = &obj[1..];
            if ids.len() % 32 != 0 {
                return Err(Error::Corrupt(format!(
                    "blob {} has a torn chunk list",
                    id.short()
                )));
            }
            let mut data = Vec::with_capacity(len as usize);
            for chunk in ids.chunks(32) {
                let chunk_id = Id(chunk.try_into().expect("chunks of 32"));
                data.extend_from_slice(&raw_data(&chunk_id, &src.blob(&chunk_id)?)?);
            }
            data
        }
        _ => raw_data(id, &obj)?,
    };
    if data.len() as u64 != len {
        return Err(Error::Corrupt(format!(
            "blob {} holds {} bytes, its entry says {len}",
            id.short(),
            data.len()
        )));
    }
    Ok(data)
}
