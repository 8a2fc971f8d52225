//! The rows of m0030, one entity per table.

pub(super) mod activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub branch_code: String,
        pub team_code: String,
        pub kind: String,
        pub title: String,
        pub location: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub photos: bool,
        pub photo_notice_on: Option<Date>,
        pub photo_notice_how: Option<String>,
        pub keep_until: Date,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub activity_id: Uuid,
        pub held_on: Date,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod attendance {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_attendance")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub session_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub participant_id: Uuid,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod participant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_participants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub activity_id: Uuid,
        pub name_ct: Vec<u8>,
        pub address_ct: Vec<u8>,
        pub birth_date_ct: Vec<u8>,
        pub gender_ct: Vec<u8>,
        pub phone_ct: Vec<u8>,
        pub email_ct: Vec<u8>,
        pub photo_opt_out: bool,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod consent {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "participant_media_consents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub participant_id: Uuid,
        pub use_code: String,
        pub signed_on: Date,
        pub signed_by: String,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
        pub withdrawn_by: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod media {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_media")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub activity_id: Uuid,
        pub file_name_ct: Vec<u8>,
        pub media_type: String,
        pub size_bytes: i64,
        pub recorded_on: Date,
        pub keep_until: Date,
        pub no_people: bool,
        pub uploaded_by: Uuid,
        pub uploaded_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
        pub published_by: Option<Uuid>,
        pub publication: Option<String>,
        pub stopped_at: Option<DateTimeUtc>,
        pub stopped_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod tag {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_media_tags")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub media_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub participant_id: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
